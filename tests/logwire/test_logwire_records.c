/* Every record kind, encoded by the agent's encoder and rendered by the
 * host's decoder, gives the bytes the agent's text path gives for the same
 * call: formats and their arguments, the 512-byte cut and the forced
 * newline, client-controlled strings, hex dumps, MPIs, points, certificates. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "log_fmt.h"
#include "logwire_test_util.h"

static void assert_same(tu_t *t)
{
    tu_decode(t);
    cr_assert_eq(t->dec->stats.undecoded, 0u, "%llu records not decoded",
                 (unsigned long long)t->dec->stats.undecoded);
    cr_assert_eq(t->rendered_len, t->expected_len,
                 "rendered %zu bytes, text path %zu:\n%.*s\n--\n%.*s", t->rendered_len,
                 t->expected_len, (int)t->rendered_len, t->rendered, (int)t->expected_len,
                 t->expected);
    cr_assert_eq(memcmp(t->rendered, t->expected, t->expected_len), 0,
                 "rendered:\n%.*s\nexpected:\n%.*s", (int)t->rendered_len, t->rendered,
                 (int)t->expected_len, t->expected);
    cr_assert_eq(t->dec->stats.text_bytes, t->expected_len);
}

#define F "/src/mbedtls/library/ssl_msg.c"

Test(logwire_records, printf_conversions_flags_widths_and_lengths)
{
    tu_t *t = tu_new(7);
    tu_msg(t, F, 1995, 2, "in_left: %zu, nb_want: %zu", (size_t)0, (size_t)5);
    tu_msg(t, F, 12, 3, "=> flush output");
    tu_msg(t, F, 13, 1, "%d %i %u %x %X %o %c %% %s", -42, 42, 4000000000u, 0xbeefu, 0xbeefu, 8u,
           'Z', "str");
    tu_msg(t, F, 14, 4, "[%+05d|%-6x|% d|%#o|%#x|%#04x|%.3d|%.0d|%08x|%02X]", 7, 12u, 5, 15u, 31u,
           0u, 7, 0, 0xdeadu, 0xabu);
    tu_msg(t, F, 15, 4, "[%*d|%-*d|%*d|%.*s|%.*d|%5s|%-5s|%.2s|%-3c|%3c]", 6, 42, 6, 42, -6, 42, 2,
           "abc", -1, 9, "ab", "ab", "xyz", 'q', 'r');
/* int arguments for hh and h on purpose: the libc narrows them, so must the encoder */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
    tu_msg(t, F, 16, 4, "%hhd %hhu %hd %hu %ld %lu %lld %llu %jd %ju %zd %zx %td %tx", 0x1ff, 0x1ff,
           0x1ffff, 0x1ffff, -5L, 4000000000ul, (long long)INT64_MIN,
           (unsigned long long)UINT64_MAX, (intmax_t)-9, (uintmax_t)9, (size_t)-3, (size_t)255,
           (ptrdiff_t)-7, (ptrdiff_t)255);
#pragma GCC diagnostic pop
    tu_msg(t, F, 17, 4, "ptr %p and %p", (void *)t, (void *)NULL);
    tu_msg(t, F, 18, 4, "%c", 0); /* a NUL byte: the callback's %s stops there */
    tu_msg(t, F, 1995, 2, "in_left: %zu, nb_want: %zu", (size_t)1234567, (size_t)89);
    assert_same(t);
    tu_free(t);
}

Test(logwire_records, output_over_511_bytes_is_cut_and_ends_in_a_newline)
{
    tu_t *t = tu_new(1);
    char big[400];
    memset(big, 'a', sizeof big - 1u);
    big[sizeof big - 1u] = '\0';
    tu_msg(t, F, 20, 3, "%s|%s", big, big); /* vsnprintf cut at 511, no '\n' added */
    tu_msg(t, F, 21, 3, "%900d", 5);        /* one conversion longer than the buffer */
    tu_msg(t, F, 22, 3, "%.490s", big);     /* fits mbedTLS's buffer, not the prefixed line */
    char exact[512];
    memset(exact, 'b', 510);
    exact[510] = '\0';
    tu_msg(t, F, 23, 3, "%s", exact); /* 510: the '\n' still fits in debug.c */
    exact[509] = '\0';
    tu_msg(t, F, 24, 3, "%s", exact);
    tu_line(t, F, 25, 3, "a line without its newline");
    tu_ret(t, F, 26, 1, big, -0x7200);
    assert_same(t);
    tu_free(t);
}

Test(logwire_records, client_controlled_strings_are_data)
{
    tu_t *t = tu_new(2);
    /* A server name or certificate field as the peer chose it: bytes over
     * 0x7f, format characters, controls. Never a format on either side. */
    const char hostile[] = "\xc3\xa9\xff\xfe%n%s%x%p%%%*d\x01\x1b[31m\t|";
    tu_msg(t, F, 30, 3, "server name: %s (%zu)", hostile, strlen(hostile));
    tu_msg(t, F, 31, 3, "[%-40s]", hostile);
    tu_line(t, F, 32, 3, hostile);
    tu_ret(t, F, 33, 1, hostile, -1);
    uint8_t buf[40];
    memcpy(buf, hostile, sizeof buf < sizeof hostile ? sizeof buf : sizeof hostile);
    tu_buf(t, F, 34, 4, hostile, buf, sizeof hostile - 1u);
    tu_text(t, "tlsrig: scenario %s\xff: handshake starts\n");
    assert_same(t);
    tu_free(t);
}

Test(logwire_records, hex_dumps_in_parts)
{
    tu_t *t = tu_new(3);
    static uint8_t buf[5000];
    for (size_t i = 0; i < sizeof buf; i++) {
        buf[i] = (uint8_t)(i * 37u + 11u);
    }
    size_t lens[] = {0, 1, 15, 16, 17, 511, 512, 513, 1024, 4096, 5000};
    for (size_t k = 0; k < sizeof lens / sizeof lens[0]; k++) {
        tu_buf(t, F, 40, 4, "input record from network", buf, lens[k]);
    }
    assert_same(t);
    tu_free(t);
}

Test(logwire_records, mpis_points_certificates)
{
    tu_t *t = tu_new(4);
    uint8_t x[300], y[66], zero[4] = {0};
    for (size_t i = 0; i < sizeof x; i++) {
        x[i] = (uint8_t)(255u - i);
    }
    for (size_t i = 0; i < sizeof y; i++) {
        y[i] = (uint8_t)(i + 1u);
    }
    x[0] = 0; /* a leading zero: bit length from the magnitude */
    tu_mpi(t, LOG_REC_MPI, F, 50, 3, "ECDH: z", x, 32, NULL, 0);
    tu_mpi(t, LOG_REC_MPI, F, 51, 3, "zero", zero, sizeof zero, NULL, 0);
    tu_mpi(t, LOG_REC_MPI, F, 52, 3, "one", (const uint8_t *)"\x01", 1, NULL, 0);
    tu_mpi(t, LOG_REC_MPI, F, 53, 3, "rsa", x, sizeof x, NULL, 0);
    tu_mpi(t, LOG_REC_ECP, F, 54, 3, "ECDH: Qp", y, 32, y + 1, 32);
    tu_mpi(t, LOG_REC_ECP, F, 55, 3, "p521", y, sizeof y, y, 65);
    tu_crt_head(t, F, 56, 3, "peer certificate", 1);
    tu_line(t, F, 56, 3, "cert. version     : 3\n");
    tu_mpi(t, LOG_REC_PK_MPI, F, 56, 3, "rsa.N", x + 1, 256, NULL, 0);
    tu_mpi(t, LOG_REC_PK_MPI, F, 56, 3, "a.very.long.key.item", y, 3, NULL, 0); /* cut at 15 */
    tu_mpi(t, LOG_REC_PK_ECP, F, 56, 3, "eckey.Q", y, 32, y, 32);
    tu_crt_head(t, F, 56, 3, "peer certificate", 2);
    assert_same(t);
    tu_free(t);
}

Test(logwire_records, many_sites_fill_the_table_and_start_another)
{
    tu_t *t = tu_new(5);
    for (int i = 0; i < 700; i++) {
        tu_msg(t, F, 1000 + i, 3, "site %d of many", i); /* 700 sites > 256 per table */
    }
    assert_same(t);
    cr_assert_geq(t->enc.tables, 3u);
    cr_assert_geq(t->dec->stats.tables, 3u);
    tu_free(t);
}

Test(logwire_records, conversions_no_libc_agrees_on_are_refused)
{
    static const char *const refused[] = {"%n",  "%f",  "%ls", "%lc",  "%Lf",     "%1$d", "%q",
                                          "%5p", "%+s", "%#c", "%.3c", "%99999d", "%5%",  "%"};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        size_t pos = 0;
        log_fmt_conv_t c;
        log_fmt_status_t st = log_fmt_next(refused[i], strlen(refused[i]), &pos, &c);
        cr_assert_eq(st, LOG_FMT_UNSUPPORTED, "%s accepted", refused[i]);
    }
}
