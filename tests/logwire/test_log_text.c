/* The renderer's number and text helpers write what the snprintf they replace writes, for
 * the values at every edge, and cut and count as snprintf does. */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "log_text.h"

static const uint64_t k_unsigned[] = {0u,
                                      1u,
                                      9u,
                                      10u,
                                      15u,
                                      16u,
                                      255u,
                                      4095u,
                                      4096u,
                                      65535u,
                                      99999u,
                                      4000000000u,
                                      UINT32_MAX,
                                      (uint64_t)UINT32_MAX + 1u,
                                      1234567890123u,
                                      INT64_MAX,
                                      UINT64_MAX - 1u,
                                      UINT64_MAX};
static const int64_t k_signed[] = {
    0,        1, -1, 9, -9, 10, -10, INT32_MIN, INT32_MAX, -1234567890123, INT64_MAX, INT64_MIN + 1,
    INT64_MIN};
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static void expect_as_snprintf(const char *want, void (*put)(log_text_t *, uint64_t, unsigned),
                               uint64_t v, unsigned width)
{
    char got[64];
    log_text_t t = {.buf = got, .cap = sizeof got, .len = 0};
    put(&t, v, width);
    size_t n = log_text_end(&t);
    cr_expect_eq(n, strlen(want), "%" PRIu64 " width %u: '%s' vs '%s'", v, width, got, want);
    cr_expect_str_eq(got, want, "%" PRIu64 " width %u", v, width);
}

Test(log_text, decimal_and_hex_with_zero_widths_match_snprintf)
{
    char want[64];
    for (size_t i = 0; i < N_OF(k_unsigned); i++) {
        uint64_t v = k_unsigned[i];
        for (unsigned w = 0; w <= 20u; w++) {
            snprintf(want, sizeof want, "%0*llu", (int)w, (unsigned long long)v);
            expect_as_snprintf(want, log_text_udec_zero, v, w);
            snprintf(want, sizeof want, "%0*llx", (int)w, (unsigned long long)v);
            expect_as_snprintf(want, log_text_hex_zero, v, w);
        }
    }
}

Test(log_text, signed_unsigned_and_upper_hex_match_snprintf)
{
    char want[64], got[64];
    for (size_t i = 0; i < N_OF(k_signed); i++) {
        log_text_t t = {.buf = got, .cap = sizeof got, .len = 0};
        log_text_sdec(&t, k_signed[i]);
        log_text_end(&t);
        snprintf(want, sizeof want, "%lld", (long long)k_signed[i]);
        cr_expect_str_eq(got, want);
    }
    for (size_t i = 0; i < N_OF(k_unsigned); i++) {
        log_text_t t = {.buf = got, .cap = sizeof got, .len = 0};
        log_text_udec(&t, k_unsigned[i]);
        log_text_put(&t, "|", 1);
        log_text_hex(&t, k_unsigned[i], 1);
        log_text_put(&t, "|", 1);
        log_text_hex(&t, k_unsigned[i], 0);
        log_text_end(&t);
        snprintf(want, sizeof want, "%llu|%llX|%llx", (unsigned long long)k_unsigned[i],
                 (unsigned long long)k_unsigned[i], (unsigned long long)k_unsigned[i]);
        cr_expect_str_eq(got, want);
    }
}

/* Every capacity from 1 to past the text: what is kept and the length counted, as snprintf. */
Test(log_text, cut_and_count_like_snprintf_at_every_capacity)
{
    const char *file = "ssl_msg.c";
    for (size_t cap = 1; cap <= 40; cap++) {
        char got[64], want[64];
        memset(got, 'x', sizeof got);
        log_text_t t = {.buf = got, .cap = cap, .len = 0};
        log_text_str(&t, file);
        log_text_put(&t, ":", 1);
        log_text_udec_zero(&t, 42u, 4);
        log_text_put(&t, ": |", 3);
        log_text_sdec(&t, -3);
        log_text_put(&t, "| ", 2);
        log_text_str(&t, "in_left: 0");
        size_t n = log_text_end(&t);
        int full = snprintf(want, cap, "%s:%04d: |%d| %s", file, 42, -3, "in_left: 0");
        cr_expect_eq(t.len, (size_t)full, "cap %zu", cap);
        cr_expect_eq(n, strlen(want), "cap %zu", cap);
        cr_expect_str_eq(got, want, "cap %zu", cap);
        cr_expect_eq(got[cap], 'x', "cap %zu: a byte written past the capacity", cap);
    }
}
