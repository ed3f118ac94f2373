/* libFuzzer: any bytes as a wolfSSL debug log (logparse_text_as "wolfssl"), its JSON, and
 * diagnosis with the wolfSSL rules, with and without an agent result. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "diagnose.h"
#include "logparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    logparse_result_t *r = logparse_text_as((const char *)data, size, "wolfssl");
    if (!r)
        return 0;
    json_t *j = logparse_to_json(r);
    char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
    free(s);
    json_decref(j);
    diagnose_input_t in = {.log = r,
                           .agent_alert_received = -1,
                           .agent_alert_sent = -1,
                           .agent_sni = -1,
                           .stack = "wolfssl"};
    diagnosis_t d;
    diagnose(&in, &d);
    json_decref(diagnosis_to_json(&d));
    in.has_ret = true;
    in.mbedtls_ret = size > 0 ? -(int)(100 + data[0] * 2) : -313;
    diagnose(&in, &d);
    logparse_free(r);
    return 0;
}
