#define _POSIX_C_SOURCE 200809L
#include "logwire_test_util.h"

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"

static int fake_send(void *ctx, const uint8_t *payload, size_t len)
{
    tu_t *t = ctx;
    size_t attempt = t->attempts++;
    if (t->fail_next_send > 0) {
        t->fail_next_send--;
        return -1;
    }
    cr_assert_lt(t->n_frames, TU_MAX_FRAMES);
    cr_assert_leq(len, LINK_MAX_PAYLOAD);
    memcpy(t->frames[t->n_frames].p, payload, len);
    t->frames[t->n_frames].len = len;
    t->frames[t->n_frames].attempt = attempt;
    t->n_frames++;
    return 0;
}

tu_t *tu_new(uint32_t table_id)
{
    tu_t *t = calloc(1, sizeof *t);
    cr_assert_not_null(t);
    log_enc_init(&t->enc, table_id, fake_send, t);
    t->dec = log_decoder_new();
    cr_assert_not_null(t->dec);
    return t;
}

void tu_free(tu_t *t)
{
    log_decoder_free(t->dec);
    free(t);
}

static void expect_bytes(tu_t *t, const char *p, size_t n)
{
    cr_assert_leq(n, TU_TEXT_CAP - t->expected_len);
    memcpy(t->expected + t->expected_len, p, n);
    t->expected_len += n;
}

/* target/core/debug_log.c, debug_log_cb (text path) */
void tu_ref_cb(tu_t *t, const char *file, int line, int level, const char *str)
{
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    char tmp[512];
    int n = snprintf(tmp, sizeof tmp, "%s:%04d: |%d| %s", base, line, level, str);
    cr_assert_geq(n, 0);
    size_t len = (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1u;
    if (len > 0 && tmp[len - 1] != '\n') {
        tmp[len - 1] = '\n';
    }
    expect_bytes(t, tmp, len);
}

static void record(tu_t *t, uint8_t kind, const char *file, int line, int level, const char *text,
                   const log_body_t *b)
{
    cr_assert(log_enc_site_record(&t->enc, kind, file, line, level, text, b),
              "record kind %u not encodable", kind);
}

void tu_msg(tu_t *t, const char *file, int line, int level, const char *fmt, ...)
{
    static uint8_t args[LOG_REC_ARGS_MAX], body[LOG_REC_ARGS_MAX + 4u];
    log_body_t a, b;
    log_body_init(&a, args, sizeof args);
    log_body_init(&b, body, sizeof body);
    va_list ap;
    va_start(ap, fmt);
    cr_assert(log_msg_args_encode(&a, fmt, ap), "format not encodable: %s", fmt);
    log_body_bytes(&b, a.buf, a.len);
    record(t, LOG_REC_MSG, file, line, level, fmt, &b);
    /* library/debug.c, mbedtls_debug_print_msg */
    char str[512];
    int ret = vsnprintf(str, sizeof str, fmt, ap);
    va_end(ap);
    if (ret >= 0 && ret < 511) {
        str[ret] = '\n';
        str[ret + 1] = '\0';
    }
    tu_ref_cb(t, file, line, level, str);
}

void tu_line(tu_t *t, const char *file, int line, int level, const char *str)
{
    uint8_t body[600];
    log_body_t b;
    log_body_init(&b, body, sizeof body);
    size_t n = strnlen(str, LOG_REC_TEXT_MAX);
    log_body_bytes(&b, str, n);
    record(t, LOG_REC_LINE, file, line, level, NULL, &b);
    tu_ref_cb(t, file, line, level, str);
}

void tu_ret(tu_t *t, const char *file, int line, int level, const char *text, int ret)
{
    uint8_t body[12];
    log_body_t b;
    log_body_init(&b, body, sizeof body);
    log_body_zigzag(&b, ret);
    record(t, LOG_REC_RET, file, line, level, text, &b);
    char str[512];
    snprintf(str, sizeof str, "%s() returned %d (-0x%04x)\n", text, ret, (unsigned int)-ret);
    tu_ref_cb(t, file, line, level, str);
}

/* library/debug.c, mbedtls_debug_print_buf */
static void ref_buf(tu_t *t, const char *file, int line, int level, const char *text,
                    const uint8_t *buf, size_t len)
{
    char str[512];
    char txt[17];
    size_t i, idx = 0;
    snprintf(str + idx, sizeof str - idx, "dumping '%s' (%u bytes)\n", text, (unsigned int)len);
    tu_ref_cb(t, file, line, level, str);
    idx = 0;
    memset(txt, 0, sizeof txt);
    for (i = 0; i < len; i++) {
        if (i >= 4096) {
            break;
        }
        if (i % 16 == 0) {
            if (i > 0) {
                snprintf(str + idx, sizeof str - idx, "  %s\n", txt);
                tu_ref_cb(t, file, line, level, str);
                idx = 0;
                memset(txt, 0, sizeof txt);
            }
            idx += (size_t)snprintf(str + idx, sizeof str - idx, "%04x: ", (unsigned int)i);
        }
        idx += (size_t)snprintf(str + idx, sizeof str - idx, " %02x", (unsigned int)buf[i]);
        txt[i % 16] = (char)((buf[i] > 31 && buf[i] < 127) ? buf[i] : '.');
    }
    if (len > 0) {
        for (; i % 16 != 0; i++) {
            idx += (size_t)snprintf(str + idx, sizeof str - idx, "   ");
        }
        snprintf(str + idx, sizeof str - idx, "  %s\n", txt);
        tu_ref_cb(t, file, line, level, str);
    }
}

void tu_buf(tu_t *t, const char *file, int line, int level, const char *text, const uint8_t *buf,
            size_t len)
{
    size_t dumped = len < LOG_REC_DUMP_MAX ? len : LOG_REC_DUMP_MAX;
    size_t off = 0;
    do {
        size_t n = dumped - off < 512u ? dumped - off : 512u;
        uint8_t body[600];
        log_body_t b;
        log_body_init(&b, body, sizeof body);
        log_body_varint(&b, len);
        log_body_varint(&b, off);
        log_body_bytes(&b, buf + off, n);
        record(t, LOG_REC_BUF, file, line, level, text, &b);
        off += n;
    } while (off < dumped);
    ref_buf(t, file, line, level, text, buf, len);
}

static size_t bitlen_of(const uint8_t *p, size_t n)
{
    size_t i = 0;
    while (i < n && p[i] == 0) {
        i++;
    }
    if (i == n) {
        return 0;
    }
    size_t bits = (n - i) * 8u;
    for (uint8_t top = p[i]; (top & 0x80u) == 0; top <<= 1) {
        bits--;
    }
    return bits;
}

/* library/debug.c, mbedtls_debug_print_mpi, from a big-endian magnitude */
static void ref_mpi(tu_t *t, const char *file, int line, int level, const char *text,
                    const uint8_t *p, size_t n)
{
    char str[512];
    size_t bitlen = bitlen_of(p, n);
    size_t skip = n - (bitlen + 7u) / 8u;
    size_t idx = 0;
    snprintf(str, sizeof str, "value of '%s' (%u bits) is:\n", text, (unsigned)bitlen);
    tu_ref_cb(t, file, line, level, str);
    if (bitlen == 0) {
        str[0] = ' ';
        str[1] = '0';
        str[2] = '0';
        idx = 3;
    } else {
        for (size_t i = skip; i < n; i++) {
            snprintf(str + idx, sizeof str - idx, " %02x", p[i]);
            idx += 3;
            if (idx >= 3 * 16) {
                snprintf(str + idx, sizeof str - idx, "\n");
                tu_ref_cb(t, file, line, level, str);
                idx = 0;
            }
        }
    }
    if (idx != 0) {
        snprintf(str + idx, sizeof str - idx, "\n");
        tu_ref_cb(t, file, line, level, str);
    }
}

static void put_mpi(log_body_t *b, const uint8_t *p, size_t n)
{
    size_t bitlen = bitlen_of(p, n);
    size_t k = (bitlen + 7u) / 8u;
    log_body_varint(b, bitlen);
    log_body_bytes(b, p + (n - k), k);
}

void tu_mpi(tu_t *t, uint8_t kind, const char *file, int line, int level, const char *text,
            const uint8_t *x, size_t xn, const uint8_t *y, size_t yn)
{
    uint8_t body[1400];
    log_body_t b;
    log_body_init(&b, body, sizeof body);
    put_mpi(&b, x, xn);
    if (y) {
        put_mpi(&b, y, yn);
    }
    record(t, kind, file, line, level, text, &b);
    char name[512];
    if (kind == LOG_REC_PK_MPI || kind == LOG_REC_PK_ECP) {
        char n16[16];
        snprintf(n16, sizeof n16, "%s", "crt->");
        strncat(n16, text, sizeof n16 - 1u - strlen(n16));
        snprintf(name, sizeof name, "%s", n16);
    } else {
        snprintf(name, sizeof name, "%s", text);
    }
    if (!y) {
        ref_mpi(t, file, line, level, name, x, xn);
        return;
    }
    char str[512];
    snprintf(str, sizeof str, "%.500s(X)", name);
    ref_mpi(t, file, line, level, str, x, xn);
    snprintf(str, sizeof str, "%.500s(Y)", name);
    ref_mpi(t, file, line, level, str, y, yn);
}

void tu_crt_head(tu_t *t, const char *file, int line, int level, const char *text, int i)
{
    uint8_t body[8];
    log_body_t b;
    log_body_init(&b, body, sizeof body);
    log_body_zigzag(&b, i);
    record(t, LOG_REC_CRT_HEAD, file, line, level, text, &b);
    char str[512];
    snprintf(str, sizeof str, "%s #%d:\n", text, i);
    tu_ref_cb(t, file, line, level, str);
}

void tu_text(tu_t *t, const char *text)
{
    log_enc_text(&t->enc, text, strlen(text));
    expect_bytes(t, text, strlen(text));
}

static void sink(void *ctx, const char *text, size_t len)
{
    tu_t *t = ctx;
    cr_assert_leq(len, TU_TEXT_CAP - t->rendered_len);
    memcpy(t->rendered + t->rendered_len, text, len);
    t->rendered_len += len;
}

void tu_decode_frame(tu_t *t, size_t i)
{
    log_decoder_feed(t->dec, LOG_RECORDS, t->frames[i].p, t->frames[i].len, sink, t);
}

void tu_decode(tu_t *t)
{
    log_enc_flush(&t->enc);
    for (size_t i = 0; i < t->n_frames; i++) {
        tu_decode_frame(t, i);
    }
    t->n_frames = 0;
}
