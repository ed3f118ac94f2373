/* CRC-32 and COBS: known answers, round trips, bounds and malformed input. */
#include <criterion/criterion.h>
#include <string.h>

#include "link.h"
#include "link_test_util.h"

#define BIG 4096u

Test(crc32, known_answers)
{
    cr_assert_eq(link_crc32((const uint8_t *)"", 0), 0x00000000u);
    cr_assert_eq(link_crc32((const uint8_t *)"123456789", 9), 0xCBF43926u);
    const char *fox = "The quick brown fox jumps over the lazy dog";
    cr_assert_eq(link_crc32((const uint8_t *)fox, strlen(fox)), 0x414FA339u);
    uint8_t zeros[32] = {0};
    cr_assert_eq(link_crc32(zeros, sizeof zeros), 0x190A55ADu);
}

Test(crc32, every_single_bit_flip_changes_it)
{
    uint8_t buf[64];
    test_rng_t r;
    rng_seed(&r, 1);
    rng_fill(&r, buf, sizeof buf, 0);
    uint32_t ref = link_crc32(buf, sizeof buf);
    for (size_t bit = 0; bit < sizeof buf * 8u; bit++) {
        buf[bit / 8u] ^= (uint8_t)(1u << (bit % 8u));
        cr_assert_neq(link_crc32(buf, sizeof buf), ref, "bit %zu", bit);
        buf[bit / 8u] ^= (uint8_t)(1u << (bit % 8u));
    }
}

static void expect_encoding(const uint8_t *in, size_t n, const uint8_t *want, size_t want_len)
{
    uint8_t out[600];
    size_t got = link_cobs_encode(in, n, out, sizeof out);
    cr_assert_eq(got, want_len, "encoded length for %zu input bytes", n);
    cr_assert_arr_eq(out, want, want_len);
    uint8_t back[600];
    cr_assert_eq(link_cobs_decode(out, got, back, sizeof back), n);
    if (n > 0) {
        cr_assert_arr_eq(back, in, n);
    }
}

Test(cobs, known_encodings)
{
    expect_encoding(NULL, 0, (const uint8_t[]){0x01}, 1);
    expect_encoding((const uint8_t[]){0x00}, 1, (const uint8_t[]){0x01, 0x01}, 2);
    expect_encoding((const uint8_t[]){0x00, 0x00}, 2, (const uint8_t[]){0x01, 0x01, 0x01}, 3);
    expect_encoding((const uint8_t[]){0x11, 0x22, 0x00, 0x33}, 4,
                    (const uint8_t[]){0x03, 0x11, 0x22, 0x02, 0x33}, 5);
    expect_encoding((const uint8_t[]){0x11, 0x22, 0x33, 0x44}, 4,
                    (const uint8_t[]){0x05, 0x11, 0x22, 0x33, 0x44}, 5);
    expect_encoding((const uint8_t[]){0x11, 0x00, 0x00, 0x00}, 4,
                    (const uint8_t[]){0x02, 0x11, 0x01, 0x01, 0x01}, 5);
}

Test(cobs, full_blocks_are_canonical)
{
    uint8_t in[600], want[600];
    for (size_t i = 0; i < 255; i++) {
        in[i] = (uint8_t)(i + 1); /* 0x01..0xFF, no zero */
    }
    /* 254 non-zero bytes: one full block and nothing after it. */
    want[0] = 0xFF;
    memcpy(want + 1, in, 254);
    expect_encoding(in, 254, want, 255);
    /* 255 bytes: a full block, then a block holding the last byte. */
    want[255] = 0x02;
    want[256] = 0xFF;
    expect_encoding(in, 255, want, 257);
    /* 254 non-zero bytes and a zero: full block, empty block, empty block. */
    in[254] = 0x00;
    want[255] = 0x01;
    want[256] = 0x01;
    expect_encoding(in, 255, want, 257);
}

Test(cobs, random_round_trips_in_place_and_bounded)
{
    static uint8_t in[BIG], enc[BIG + BIG / 254u + 2u], dec[BIG];
    test_rng_t r;
    rng_seed(&r, 42);
    const uint32_t zero_rates[] = {0, 2, 8, 300, 100000};
    for (int iter = 0; iter < 3000; iter++) {
        size_t n = iter < 600 ? (size_t)iter : rng_below(&r, BIG + 1u);
        rng_fill(&r, in, n, zero_rates[iter % 5]);
        size_t e = link_cobs_encode(in, n, enc, sizeof enc);
        cr_assert(e > 0 && e <= n + n / 254u + 1u, "n=%zu e=%zu", n, e);
        cr_assert_null(memchr(enc, 0, e), "encoded output contains 0x00");
        cr_assert_eq(link_cobs_decode(enc, e, dec, sizeof dec), n);
        cr_assert(n == 0 || memcmp(dec, in, n) == 0);
        /* In place: the buffer holding the encoding receives the decoding. */
        cr_assert_eq(link_cobs_decode(enc, e, enc, e), n);
        cr_assert(n == 0 || memcmp(enc, in, n) == 0);
    }
}

Test(cobs, every_byte_value_alone_and_together)
{
    uint8_t all[256], enc[300], dec[300];
    for (unsigned v = 0; v < 256; v++) {
        uint8_t one = (uint8_t)v;
        size_t e = link_cobs_encode(&one, 1, enc, sizeof enc);
        cr_assert_eq(e, 2u);
        cr_assert_eq(link_cobs_decode(enc, e, dec, sizeof dec), 1u);
        cr_assert_eq(dec[0], one);
        all[v] = (uint8_t)v;
    }
    size_t e = link_cobs_encode(all, sizeof all, enc, sizeof enc);
    cr_assert_eq(link_cobs_decode(enc, e, dec, sizeof dec), sizeof all);
    cr_assert_arr_eq(dec, all, sizeof all);
}

Test(cobs, encode_never_writes_past_a_short_buffer)
{
    uint8_t in[700], out[800];
    test_rng_t r;
    rng_seed(&r, 7);
    rng_fill(&r, in, sizeof in, 50);
    size_t need = link_cobs_encode(in, sizeof in, out, sizeof out);
    cr_assert(need > 0);
    for (size_t cap = 0; cap < need; cap++) {
        memset(out, 0xA5, sizeof out);
        cr_assert_eq(link_cobs_encode(in, sizeof in, out, cap), 0u, "cap %zu", cap);
        for (size_t i = cap; i < sizeof out; i++) {
            cr_assert_eq(out[i], 0xA5, "wrote byte %zu with cap %zu", i, cap);
        }
    }
}

Test(cobs, malformed_input_is_rejected)
{
    uint8_t out[64] = {0};
    cr_assert_eq(link_cobs_decode(out, 0, out, sizeof out), SIZE_MAX, "empty");
    cr_assert_eq(link_cobs_decode((const uint8_t[]){0x00}, 1, out, sizeof out), SIZE_MAX);
    /* code says 4 bytes follow, only 2 do */
    cr_assert_eq(link_cobs_decode((const uint8_t[]){0x05, 0x11, 0x22}, 3, out, sizeof out),
                 SIZE_MAX);
    /* a 0x00 inside a block */
    cr_assert_eq(link_cobs_decode((const uint8_t[]){0x03, 0x11, 0x00}, 3, out, sizeof out),
                 SIZE_MAX);
    /* a 0x00 where a code byte belongs */
    cr_assert_eq(link_cobs_decode((const uint8_t[]){0x02, 0x11, 0x00, 0x01}, 4, out, sizeof out),
                 SIZE_MAX);
}

Test(cobs, decode_respects_the_output_capacity)
{
    uint8_t in[40], enc[50], out[40];
    memset(in, 0x5A, sizeof in);
    in[10] = 0;
    size_t e = link_cobs_encode(in, sizeof in, enc, sizeof enc);
    for (size_t cap = 0; cap < sizeof in; cap++) {
        memset(out, 0xA5, sizeof out);
        cr_assert_eq(link_cobs_decode(enc, e, out, cap), SIZE_MAX, "cap %zu", cap);
        for (size_t i = cap; i < sizeof out; i++) {
            cr_assert_eq(out[i], 0xA5);
        }
    }
    cr_assert_eq(link_cobs_decode(enc, e, out, sizeof in), sizeof in);
}
