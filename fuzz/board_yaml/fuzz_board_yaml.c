/* libFuzzer target: the board loader (config_yaml checks, libcyaml schema,
 * the per-kind key rules) on any bytes. */
#include <stdint.h>
#include <stdlib.h>

#include "board_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[1024] = "";
    board_config_t *b = board_config_load_text("sim", (const char *)data, size, err, sizeof err);
    if (!b && err[0] == '\0') {
        abort(); /* every refusal says why */
    }
    if (b && (b->timeouts.hello_ms == 0 || b->backends_count == 0)) {
        abort(); /* a loaded board has its defaults and at least one backend */
    }
    board_config_free(b);
    return 0;
}
