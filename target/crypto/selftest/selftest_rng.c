/*
 * RNG sanity (not a statistical test): the source answers, no 32-bit word repeats within a
 * 64-word sample, and no word has four equal bytes. On a working source either event has a
 * probability below 1e-5 per run.
 */
#include "selftest_internal.h"

#define RNG_WORDS 64

void selftest_rng(crypto_selftest_result_t *r, crypto_selftest_rng_fn fn, void *data)
{
    if (fn == NULL) {
        r->status = CRYPTO_SELFTEST_SKIP;
        return;
    }
    unsigned char bytes[4 * RNG_WORDS];
    /* Four requests, as an entropy collector would make them. */
    for (size_t part = 0; part < 4; part++) {
        size_t olen = 0;
        size_t len = sizeof(bytes) / 4;
        int rc = fn(data, bytes + part * len, len, &olen);
        selftest_count(r, len);
        if (rc != 0 || olen != len) {
            selftest_fail(r, "source failed");
            return;
        }
    }
    unsigned long words[RNG_WORDS];
    for (size_t i = 0; i < RNG_WORDS; i++) {
        const unsigned char *b = bytes + 4 * i;
        words[i] = (unsigned long)b[0] | (unsigned long)b[1] << 8 | (unsigned long)b[2] << 16 |
                   (unsigned long)b[3] << 24;
        if (b[0] == b[1] && b[1] == b[2] && b[2] == b[3]) {
            selftest_fail(r, "word with four equal bytes");
            return;
        }
    }
    for (size_t i = 0; i < RNG_WORDS; i++) {
        for (size_t j = i + 1; j < RNG_WORDS; j++) {
            if (words[i] == words[j]) {
                selftest_fail(r, "repeated word");
                return;
            }
        }
    }
}
