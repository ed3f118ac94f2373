/* libFuzzer: the host's decoders of what a board's agent sends besides the
 * link frames: the panic record kept across a reset (HELLO's T_PANIC) and a
 * T_PRIMITIVE item (self-test, bench, handshake results). Any bytes: no
 * crash, no leak, and a record that decodes re-encodes to the same bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "agent_rpc.h"
#include "panic_record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    panic_record_t rec, rec2;
    memset(&rec, 0, sizeof rec);
    memset(&rec2, 0, sizeof rec2);
    if (panic_record_decode(data, size, &rec)) {
        uint8_t again[512];
        size_t n = panic_record_encode(&rec, again, sizeof again);
        if (n == 0 || !panic_record_decode(again, n, &rec2) || memcmp(&rec, &rec2, sizeof rec)) {
            abort(); /* what decodes must survive its own round trip */
        }
    }
    const char *name = NULL;
    json_t *j = agent_primitive_json(data, size, &name);
    if (j) {
        char *text = json_dumps(j, JSON_COMPACT);
        free(text);
        json_decref(j);
    }
    return 0;
}
