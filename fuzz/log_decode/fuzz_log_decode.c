/* libFuzzer: any bytes as a sequence of LOG messages from an agent (type
 * byte, u16 little-endian length, payload) through one compact log decoder:
 * definitions, formats and arguments, hex dumps, MPIs, table changes. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "log_decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t g_out;

static void sink(void *ctx, const char *text, size_t len)
{
    (void)ctx;
    /* Touch every byte: a read past what the decoder owns shows up under ASan. */
    for (size_t i = 0; i < len; i++) {
        g_out += (uint8_t)text[i];
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    log_decoder_t *d = log_decoder_new();
    if (!d) {
        return 0;
    }
    size_t pos = 0;
    while (size - pos >= 3u) {
        uint8_t type = data[pos];
        size_t len = (size_t)data[pos + 1] | (size_t)data[pos + 2] << 8;
        pos += 3u;
        if (len > size - pos) {
            len = size - pos;
        }
        if (len > 1024u) {
            len = 1024u; /* LINK_MAX_PAYLOAD: the link delivers no more */
        }
        log_decoder_feed(d, type, data + pos, len, sink, NULL);
        (void)log_decoder_take_resync(d);
        pos += len;
    }
    log_decoder_free(d);
    return 0;
}
