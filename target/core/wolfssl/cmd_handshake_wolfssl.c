/* HANDSHAKE on the wolfssl stack: one wolfSSL client handshake through the tunnel, then one
 * RESULT message with the same TLVs as the mbedTLS images where wolfSSL has the fact:
 * T_RET is wolfSSL's error code (wolfSSL_get_error(), e.g. -313 FATAL_ERROR when a fatal
 * alert was received), T_ERR_NAME its string, T_ALERT_RECEIVED from wolfSSL's alert history
 * (typed, not from the log). wolfSSL runs the whole handshake in one wolfSSL_connect() call:
 * no per-state times (T_STATE_TIMES absent, T_HS_STEPS = connect calls). Per-primitive
 * counters (T_PRIMITIVE) on hw images only: the crypto callback device's (wolfssl_hw.c). */
#include <string.h>

#include "agent.h"
#include "commands.h"
#include "debug_log.h"
#include "port.h"
#include "proto.h"
#include "tls_platform.h"
#include "tlv.h"
#include "wolfssl_glue.h"

#include <wolfssl/error-ssl.h>

typedef struct hs_run {
    WOLFSSL_CTX *ctx;
    WOLFSSL *ssl;
    wolfssl_io_t io;
    uint32_t steps;
    int ret;
    int alert_received;
    bool done;
    uint64_t started_us;
    uint64_t started_instructions;
} hs_run_t;

static hs_run_t g_run;

static int configure(hs_run_t *r, const hs_settings_t *s)
{
    int err = 0;
    size_t ca_len = 0;
    const uint8_t *ca = agent_ca(&ca_len);
    r->ctx = wolfssl_settings_ctx(s, ca, ca_len, &err);
    if (r->ctx == NULL) {
        return err != 0 ? err : MEMORY_E;
    }
    int ret = wolfssl_hw_use(r->ctx);
    if (ret != 0) {
        return ret;
    }
    r->ssl = wolfSSL_new(r->ctx);
    if (r->ssl == NULL) {
        return MEMORY_E; /* also a failed DRBG seeding (the port's entropy) */
    }
    wolfSSL_SSLSetIORecv(r->ssl, wolfssl_io_recv);
    wolfSSL_SSLSetIOSend(r->ssl, wolfssl_io_send);
    wolfSSL_SetIOReadCtx(r->ssl, &r->io);
    wolfSSL_SetIOWriteCtx(r->ssl, &r->io);
    return wolfssl_settings_apply(r->ssl, s);
}

static void note_alert(hs_run_t *r)
{
    WOLFSSL_ALERT_HISTORY h;
    memset(&h, 0, sizeof h);
    if (wolfSSL_get_alert_history(r->ssl, &h) == WOLFSSL_SUCCESS &&
        h.last_rx.level == alert_fatal) {
        r->alert_received = h.last_rx.code;
    }
}

static int run_handshake(hs_run_t *r)
{
    int ret;
    do {
        r->steps++;
        ret = wolfSSL_connect(r->ssl);
    } while (ret != WOLFSSL_SUCCESS &&
             (wolfSSL_get_error(r->ssl, ret) == WOLFSSL_ERROR_WANT_READ ||
              wolfSSL_get_error(r->ssl, ret) == WOLFSSL_ERROR_WANT_WRITE));
    if (ret == WOLFSSL_SUCCESS) {
        r->done = true;
        return 0;
    }
    note_alert(r);
    return wolfSSL_get_error(r->ssl, ret);
}

/* After the handshake: one request and its answer (record encryption both ways). */
static int exchange_data(hs_run_t *r)
{
    static const char req[] = "tlsrig ping\n";
    int ret = wolfSSL_write(r->ssl, req, (int)sizeof req - 1);
    if (ret <= 0) {
        note_alert(r);
        return wolfSSL_get_error(r->ssl, ret);
    }
    char buf[256];
    ret = wolfSSL_read(r->ssl, buf, (int)sizeof buf);
    if (ret > 0) {
        (void)wolfSSL_shutdown(r->ssl);
        return 0;
    }
    int err = wolfSSL_get_error(r->ssl, ret);
    if (err == WOLFSSL_ERROR_ZERO_RETURN || err == SOCKET_PEER_CLOSED_E) {
        return 0; /* the server answered and closed: fine */
    }
    note_alert(r);
    return err;
}

static void put_suite(tlv_writer_t *w, WOLFSSL *ssl)
{
    int cs = wolfSSL_get_current_cipher_suite(ssl);
    const char *iana = wolfSSL_get_cipher_name_iana_from_suite((byte)(cs >> 8), (byte)cs);
    char name[80];
    if (iana == NULL || strlen(iana) >= sizeof name) {
        return;
    }
    /* The IANA name as mbedTLS spells its suites ("TLS-ECDHE-RSA-WITH-..."), so reports of
     * both stacks name a suite alike. */
    strcpy(name, iana);
    for (char *p = name; *p; p++) {
        *p = *p == '_' ? '-' : *p;
    }
    tlv_put_str(w, T_SUITE, name);
}

static void send_result(hs_run_t *r)
{
    static uint8_t buf[LINK_MAX_PAYLOAD];
    tlv_writer_t w;
    tlv_writer_init(&w, buf, sizeof buf);
    tlv_put_i32(&w, T_RET, r->ret);
    if (r->ret != 0) {
        const char *text = wolfSSL_ERR_reason_error_string((unsigned long)r->ret);
        tlv_put_str(&w, T_ERR_NAME, text != NULL ? text : "unknown wolfSSL error");
    }
    if (r->alert_received >= 0) {
        tlv_put_u8(&w, T_ALERT_RECEIVED, (uint8_t)r->alert_received);
    }
    if (r->io.bio.alert_sent >= 0) {
        tlv_put_u8(&w, T_ALERT_SENT, (uint8_t)r->io.bio.alert_sent);
    }
    if (r->done && r->ssl != NULL) {
        tlv_put_str(&w, T_VERSION, wolfSSL_get_version(r->ssl));
        put_suite(&w, r->ssl);
    }
    wolfssl_hw_put_prims(&w);
    tlv_put_u32(&w, T_HS_STEPS, r->steps);
    tlv_put_u32(&w, T_BYTES_IN, r->io.bio.bytes_in);
    tlv_put_u32(&w, T_BYTES_OUT, r->io.bio.bytes_out);
    tlv_put_u32(&w, T_HEAP_PEAK, (uint32_t)tls_platform_heap_peak());
    tlv_put_u64(&w, T_DURATION_US, port_now_us() - r->started_us);
    uint64_t instructions = 0;
    if (port_instruction_count(&instructions)) {
        tlv_put_u64(&w, T_INSTRUCTIONS, instructions - r->started_instructions);
    }
    uint32_t stack_peak = 0;
    if (port_stack_peak(&stack_peak)) {
        tlv_put_u32(&w, T_STACK_PEAK, stack_peak);
    }
    (void)agent_send_reliable(LINK_CH_RESULT, RES_HANDSHAKE, buf, w.len);
}

void cmd_handshake(const hs_settings_t *settings)
{
    hs_run_t *r = &g_run;
    (void)tls_platform_heap_restart();
    tls_platform_heap_reset_peak();
    port_stack_peak_reset();
    memset(r, 0, sizeof *r);
    r->alert_received = -1;
    r->started_us = port_now_us();
    (void)port_instruction_count(&r->started_instructions);
    tunnel_bio_reset(&r->io.bio);
    wolfssl_hw_begin();

    if (settings == NULL) {
        r->ret = BAD_FUNC_ARG;
        debug_log_printf("tlsrig: malformed handshake settings\n");
        debug_log_flush();
        send_result(r);
        return;
    }
    /* wolfSSL writes text only: no compact records on this stack (HELLO has no log-compact). */
    debug_log_set_format(0);
    debug_log_printf("tlsrig: scenario %s: handshake starts (wolfSSL %s)\n", settings->scenario,
                     LIBWOLFSSL_VERSION_STRING);
    if (settings->sim_fault[0] != '\0') {
        debug_log_flush();
        port_sim_fault(settings->sim_fault);
    }
    tls_platform_set_time(settings->has_time, settings->time);
    wolfssl_glue_log(settings->debug_level > 0);
    r->io.read_timeout_ms = settings->read_timeout_ms;

    r->ret = configure(r, settings);
    if (r->ret == 0) {
        r->ret = tunnel_open(&r->io.bio, 10000) == 0 ? 0 : SOCKET_ERROR_E;
        if (r->ret == 0) {
            r->ret = run_handshake(r);
            if (r->ret == 0) {
                r->ret = exchange_data(r);
            }
            tunnel_close(&r->io.bio);
        }
    }
    tunnel_finish();
    debug_log_printf("tlsrig: handshake returned %d\n", r->ret);
    debug_log_flush();
    send_result(r);
    /* Silence the frees: their lines would land in the next scenario's log. */
    wolfssl_glue_log(false);
    wolfSSL_free(r->ssl);
    wolfSSL_CTX_free(r->ctx);
    r->ssl = NULL;
    r->ctx = NULL;
    wolfssl_hw_end();
}

void commands_init(void)
{
    int ret = tls_platform_init();
    if (ret != 0) {
        debug_log_printf("tlsrig: ! wolfSSL init failed %d\n", ret);
        debug_log_flush();
        return;
    }
    ret = wolfssl_hw_init();
    if (ret != 0) {
        debug_log_printf("tlsrig: ! wolfSSL hw crypto device not registered %d\n", ret);
        debug_log_flush();
    }
}
