/* libFuzzer: any bytes through logparse_text, its JSON, diagnose and the ClientHello decoder. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "diagnose.h"
#include "logparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    logparse_result_t *r = logparse_text((const char *)data, size);
    if (r) {
        json_t *j = logparse_to_json(r);
        char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
        free(s);
        json_decref(j);
        diagnose_input_t in = {.log = r};
        diagnosis_t d;
        diagnose(&in, &d);
        json_t *dj = diagnosis_to_json(&d);
        json_decref(dj);
        logparse_free(r);
    }
    logparse_clienthello_t ch;
    logparse_decode_clienthello(data, size, false, &ch);
    logparse_decode_clienthello(data, size, true, &ch);
    return 0;
}
