/* libFuzzer target: the scenario loader (config_yaml checks, libcyaml schema,
 * the typed plan with its profile overrides) on any bytes, then the agent
 * request built from whatever loaded. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "client_request.h"
#include "link.h"
#include "scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[1024];
    /* A path in a folder that does not exist: replay files never resolve. */
    scenario_t *s =
        scenario_load_text("/nonexistent/fuzz.yaml", (const char *)data, size, err, sizeof err);
    if (!s) {
        if (err[0] == '\0') {
            abort(); /* every refusal says why */
        }
        return 0;
    }
    uint8_t req[LINK_MAX_PAYLOAD];
    (void)client_request_encode(s, s->name, 0, req, sizeof req, err, sizeof err);
    scenario_free(s);
    return 0;
}
