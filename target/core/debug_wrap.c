/* mbedTLS 2.28's debug entry points, wrapped at link time (agent_core.cmake:
 * -Wl,--wrap=mbedtls_debug_print_msg,...; mbedTLS's sources stay as they
 * are). In compact mode each call becomes one binary record (log_encoder.h)
 * that the host renders into exactly what library/debug.c would have handed
 * to our callback. Anything not encodable goes through the text path: the
 * __real_ function, or for print_msg (variadic: no __real_ with a va_list)
 * the same five lines debug.c runs. 2.28 only: mbedTLS 3.x images build
 * without these wraps and keep the text path. */
#if defined(TLSRIG_LOG_COMPACT)

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "debug_log.h"
#include "mbedtls/debug.h"
#include "mbedtls/ecdh.h"
#include "mbedtls/ecp.h"
#include "mbedtls/pk.h"
#include "mbedtls/platform.h"
#include "mbedtls/ssl.h"
#include "mbedtls/x509_crt.h"

#if defined(MBEDTLS_THREADING_C)
#error "compact logs reproduce debug.c without MBEDTLS_THREADING_C's \"%p: \" prefix"
#endif

#define DEBUG_BUF_SIZE 512 /* library/debug.c */
#define MPI_BODY_MAX 528u  /* an MPI record's bytes (RSA-4096 fits); larger: text */

/* debug.c keeps its threshold static: mirror it. */
static int g_threshold;

void __real_mbedtls_debug_set_threshold(int threshold);
void __wrap_mbedtls_debug_set_threshold(int threshold)
{
    g_threshold = threshold;
    __real_mbedtls_debug_set_threshold(threshold);
}

/* debug.c's own condition for printing anything. */
static bool prints(const mbedtls_ssl_context *ssl, int level)
{
    return ssl != NULL && ssl->conf != NULL && ssl->conf->f_dbg != NULL && level <= g_threshold;
}

/* ... and ours for records: the callback is ours and the handshake asked. */
static bool compact(const mbedtls_ssl_context *ssl, int level)
{
    return prints(ssl, level) && debug_log_compact() && ssl->conf->f_dbg == debug_log_cb;
}

/* After a call was turned into records (text paused meanwhile): true when
 * the text path must run too for the same call (format "both"); the caller
 * then runs it and calls debug_log_shadow_end. */
static bool records_done(bool ok)
{
    bool text_too = debug_log_records_end();
    if (!ok && text_too) {
        debug_log_shadow_end(); /* nothing recorded: the text path runs for both */
    }
    return ok && text_too;
}

static bool site_record(uint8_t kind, const char *file, int line, int level, const char *text,
                        const log_body_t *b)
{
    return log_enc_site_record(debug_log_encoder(), kind, file, line, level, text, b);
}

/* library/debug.c, mbedtls_debug_print_msg after its checks */
static void text_msg(const mbedtls_ssl_context *ssl, int level, const char *file, int line,
                     const char *format, va_list ap)
{
    char str[DEBUG_BUF_SIZE];
    int ret = mbedtls_vsnprintf(str, DEBUG_BUF_SIZE, format, ap);
    if (ret >= 0 && ret < DEBUG_BUF_SIZE - 1) {
        str[ret] = '\n';
        str[ret + 1] = '\0';
    }
    ssl->conf->f_dbg(ssl->conf->p_dbg, level, file, line, str);
}

static bool msg_record(const char *file, int line, int level, const char *format, va_list ap)
{
    /* The arguments are written after room for their length, then moved
     * next to it: one buffer (SRAM is tight on the Cortex-M images). */
    static uint8_t body[LOG_REC_ARGS_MAX + 2u];
    log_body_t a;
    log_body_init(&a, body + 2u, LOG_REC_ARGS_MAX);
    if (!log_msg_args_encode(&a, format, ap) || a.overflow) {
        return false;
    }
    uint8_t len[2];
    size_t k = log_rec_put_varint(len, sizeof len, a.len); /* LOG_REC_ARGS_MAX < 2^14 */
    if (k == 0) {
        return false;
    }
    memmove(body + k, body + 2u, a.len);
    memcpy(body, len, k);
    log_body_t b = {.buf = body, .cap = sizeof body, .len = k + a.len, .overflow = false};
    return site_record(LOG_REC_MSG, file, line, level, format, &b);
}

void __wrap_mbedtls_debug_print_msg(const mbedtls_ssl_context *ssl, int level, const char *file,
                                    int line, const char *format, ...)
{
    if (!prints(ssl, level)) {
        return;
    }
    va_list ap;
    va_start(ap, format);
    if (compact(ssl, level)) {
        debug_log_records_begin();
        bool ok = msg_record(file, line, level, format, ap); /* works on a copy of ap */
        if (records_done(ok)) {
            text_msg(ssl, level, file, line, format, ap);
            debug_log_shadow_end();
        }
        if (ok) {
            va_end(ap);
            return;
        }
    }
    text_msg(ssl, level, file, line, format, ap);
    va_end(ap);
}

void __real_mbedtls_debug_print_ret(const mbedtls_ssl_context *ssl, int level, const char *file,
                                    int line, const char *text, int ret);
void __wrap_mbedtls_debug_print_ret(const mbedtls_ssl_context *ssl, int level, const char *file,
                                    int line, const char *text, int ret)
{
    if (compact(ssl, level) && text != NULL) {
        if (ret == MBEDTLS_ERR_SSL_WANT_READ) {
            return; /* debug.c skips it too */
        }
        uint8_t body[12];
        log_body_t b;
        log_body_init(&b, body, sizeof body);
        log_body_zigzag(&b, ret);
        debug_log_records_begin();
        bool ok = site_record(LOG_REC_RET, file, line, level, text, &b);
        if (records_done(ok)) {
            __real_mbedtls_debug_print_ret(ssl, level, file, line, text, ret);
            debug_log_shadow_end();
        }
        if (ok) {
            return;
        }
    }
    __real_mbedtls_debug_print_ret(ssl, level, file, line, text, ret);
}

void __real_mbedtls_debug_print_buf(const mbedtls_ssl_context *ssl, int level, const char *file,
                                    int line, const char *text, const unsigned char *buf,
                                    size_t len);
void __wrap_mbedtls_debug_print_buf(const mbedtls_ssl_context *ssl, int level, const char *file,
                                    int line, const char *text, const unsigned char *buf,
                                    size_t len)
{
    if (!compact(ssl, level) || text == NULL || (buf == NULL && len > 0)) {
        __real_mbedtls_debug_print_buf(ssl, level, file, line, text, buf, len);
        return;
    }
    /* Parts of 512 bytes (whole 16-byte rows): each part renders alone. */
    size_t dumped = len < LOG_REC_DUMP_MAX ? len : LOG_REC_DUMP_MAX;
    size_t off = 0;
    bool ok = true;
    debug_log_records_begin();
    do {
        size_t n = dumped - off < 512u ? dumped - off : 512u;
        uint8_t body[512u + 16u];
        log_body_t b;
        log_body_init(&b, body, sizeof body);
        log_body_varint(&b, len);
        log_body_varint(&b, off);
        log_body_bytes(&b, buf + off, n);
        /* Only the first part can fail (the site's definition is the
         * variable); later parts have the same sizes. */
        ok = site_record(LOG_REC_BUF, file, line, level, text, &b);
        off += n;
    } while (ok && off < dumped);
    bool first_failed = !ok && off <= 512u;
    if (records_done(ok || !first_failed)) {
        __real_mbedtls_debug_print_buf(ssl, level, file, line, text, buf, len);
        debug_log_shadow_end();
    }
    if (first_failed) {
        __real_mbedtls_debug_print_buf(ssl, level, file, line, text, buf, len);
    }
}

/* An MPI as bit length + big-endian magnitude (what debug.c prints). */
static bool put_mpi(log_body_t *b, const mbedtls_mpi *X)
{
    size_t bitlen = mbedtls_mpi_bitlen(X);
    size_t n = (bitlen + 7u) / 8u;
    if (n > MPI_BODY_MAX || n > b->cap - b->len) {
        return false;
    }
    log_body_varint(b, bitlen);
    log_body_varint(b, n);
    if (b->overflow || n > b->cap - b->len ||
        mbedtls_mpi_write_binary(X, b->buf + b->len, n) != 0) {
        return false;
    }
    b->len += n;
    return true;
}

static bool mpi_record(uint8_t kind, const char *file, int line, int level, const char *text,
                       const mbedtls_mpi *X, const mbedtls_mpi *Y)
{
    static uint8_t body[MPI_BODY_MAX + 16u]; /* one RSA MPI, or two points' coordinates */
    log_body_t b;
    log_body_init(&b, body, sizeof body);
    return put_mpi(&b, X) && (Y == NULL || put_mpi(&b, Y)) &&
           site_record(kind, file, line, level, text, &b);
}

void __real_mbedtls_debug_print_mpi(const mbedtls_ssl_context *ssl, int level, const char *file,
                                    int line, const char *text, const mbedtls_mpi *X);
void __wrap_mbedtls_debug_print_mpi(const mbedtls_ssl_context *ssl, int level, const char *file,
                                    int line, const char *text, const mbedtls_mpi *X)
{
    if (compact(ssl, level) && X != NULL && text != NULL) {
        debug_log_records_begin();
        bool ok = mpi_record(LOG_REC_MPI, file, line, level, text, X, NULL);
        if (records_done(ok)) {
            __real_mbedtls_debug_print_mpi(ssl, level, file, line, text, X);
            debug_log_shadow_end();
        }
        if (ok) {
            return;
        }
    }
    __real_mbedtls_debug_print_mpi(ssl, level, file, line, text, X);
}

void __real_mbedtls_debug_print_ecp(const mbedtls_ssl_context *ssl, int level, const char *file,
                                    int line, const char *text, const mbedtls_ecp_point *X);
void __wrap_mbedtls_debug_print_ecp(const mbedtls_ssl_context *ssl, int level, const char *file,
                                    int line, const char *text, const mbedtls_ecp_point *X)
{
    if (compact(ssl, level) && X != NULL && text != NULL) {
        debug_log_records_begin();
        bool ok = mpi_record(LOG_REC_ECP, file, line, level, text, &X->X, &X->Y);
        if (records_done(ok)) {
            __real_mbedtls_debug_print_ecp(ssl, level, file, line, text, X);
            debug_log_shadow_end();
        }
        if (ok) {
            return;
        }
    }
    __real_mbedtls_debug_print_ecp(ssl, level, file, line, text, X);
}

/* library/debug.c, debug_print_pk */
static void print_pk(const mbedtls_ssl_context *ssl, int level, const char *file, int line,
                     const mbedtls_pk_context *pk)
{
    mbedtls_pk_debug_item items[MBEDTLS_PK_DEBUG_MAX_ITEMS];
    memset(items, 0, sizeof items);
    if (mbedtls_pk_debug(pk, items) != 0) {
        debug_log_cb(NULL, level, file, line, "invalid PK context\n");
        return;
    }
    for (size_t i = 0; i < MBEDTLS_PK_DEBUG_MAX_ITEMS; i++) {
        if (items[i].type == MBEDTLS_PK_DEBUG_NONE) {
            return;
        }
        char name[16];
        mbedtls_snprintf(name, sizeof name, "%s%s", LOG_REC_PK_PREFIX, items[i].name);
        name[sizeof name - 1] = '\0';
        if (items[i].type == MBEDTLS_PK_DEBUG_MPI) {
            if (!mpi_record(LOG_REC_PK_MPI, file, line, level, items[i].name, items[i].value,
                            NULL)) {
                __real_mbedtls_debug_print_mpi(ssl, level, file, line, name, items[i].value);
            }
        } else if (items[i].type == MBEDTLS_PK_DEBUG_ECP) {
            const mbedtls_ecp_point *P = items[i].value;
            if (!mpi_record(LOG_REC_PK_ECP, file, line, level, items[i].name, &P->X, &P->Y)) {
                __real_mbedtls_debug_print_ecp(ssl, level, file, line, name, P);
            }
        } else {
            debug_log_cb(NULL, level, file, line, "should not happen\n");
        }
    }
}

void __real_mbedtls_debug_print_crt(const mbedtls_ssl_context *ssl, int level, const char *file,
                                    int line, const char *text, const mbedtls_x509_crt *crt);
void __wrap_mbedtls_debug_print_crt(const mbedtls_ssl_context *ssl, int level, const char *file,
                                    int line, const char *text, const mbedtls_x509_crt *crt)
{
    if (!compact(ssl, level) || crt == NULL || text == NULL) {
        __real_mbedtls_debug_print_crt(ssl, level, file, line, text, crt);
        return;
    }
    /* library/debug.c, mbedtls_debug_print_crt: the info text is rendered
     * here (no host libmbedtls can promise the same options) and goes line
     * by line, each under the site, without the repeated prefix. */
    const mbedtls_x509_crt *first = crt;
    int i = 0;
    debug_log_records_begin();
    while (crt != NULL) {
        uint8_t body[8];
        log_body_t b;
        log_body_init(&b, body, sizeof body);
        log_body_zigzag(&b, ++i);
        if (!site_record(LOG_REC_CRT_HEAD, file, line, level, text, &b)) {
            char str[DEBUG_BUF_SIZE];
            mbedtls_snprintf(str, sizeof str, "%s #%d:\n", text, i);
            debug_log_cb(NULL, level, file, line, str);
        }
        char buf[1024]; /* on the stack, as in debug.c */
        memset(buf, 0, sizeof buf);
        mbedtls_x509_crt_info(buf, sizeof buf - 1, "", crt);
        /* library/debug.c, debug_print_line_by_line */
        const char *start = buf;
        for (const char *cur = buf; *cur != '\0'; cur++) {
            if (*cur == '\n') {
                char str[DEBUG_BUF_SIZE];
                size_t len = (size_t)(cur - start) + 1u;
                if (len > DEBUG_BUF_SIZE - 1) {
                    len = DEBUG_BUF_SIZE - 1;
                }
                memcpy(str, start, len);
                str[len] = '\0';
                debug_log_cb(NULL, level, file, line, str);
                start = cur + 1;
            }
        }
        print_pk(ssl, level, file, line, &crt->pk);
        crt = crt->next;
    }
    if (records_done(true)) {
        __real_mbedtls_debug_print_crt(ssl, level, file, line, text, first);
        debug_log_shadow_end();
    }
}

#if defined(MBEDTLS_ECDH_C)
void __real_mbedtls_debug_printf_ecdh(const mbedtls_ssl_context *ssl, int level, const char *file,
                                      int line, const mbedtls_ecdh_context *ecdh,
                                      mbedtls_debug_ecdh_attr attr);
void __wrap_mbedtls_debug_printf_ecdh(const mbedtls_ssl_context *ssl, int level, const char *file,
                                      int line, const mbedtls_ecdh_context *ecdh,
                                      mbedtls_debug_ecdh_attr attr)
{
    if (!compact(ssl, level)) {
        __real_mbedtls_debug_printf_ecdh(ssl, level, file, line, ecdh, attr);
        return;
    }
    /* library/debug.c, mbedtls_debug_printf_ecdh_internal */
#if defined(MBEDTLS_ECDH_LEGACY_CONTEXT)
    const mbedtls_ecdh_context *ctx = ecdh;
#else
    const mbedtls_ecdh_context_mbed *ctx = &ecdh->ctx.mbed_ecdh;
#endif
    switch (attr) {
    case MBEDTLS_DEBUG_ECDH_Q:
        __wrap_mbedtls_debug_print_ecp(ssl, level, file, line, "ECDH: Q", &ctx->Q);
        break;
    case MBEDTLS_DEBUG_ECDH_QP:
        __wrap_mbedtls_debug_print_ecp(ssl, level, file, line, "ECDH: Qp", &ctx->Qp);
        break;
    case MBEDTLS_DEBUG_ECDH_Z:
        __wrap_mbedtls_debug_print_mpi(ssl, level, file, line, "ECDH: z", &ctx->z);
        break;
    default:
        break;
    }
}
#endif

#endif /* TLSRIG_LOG_COMPACT */
