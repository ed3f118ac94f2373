/* HANDSHAKE: one mbedTLS client handshake through the tunnel, timed per
 * state, then one RESULT message. */
#include <string.h>

#include "agent.h"
#include "commands.h"
#include "debug_log.h"
#include "hs_settings.h"
#include "mbedtls/cipher.h"
#include "mbedtls/debug.h"
#include "mbedtls/ecp.h"
#include "mbedtls/error.h"
#include "mbedtls/net_sockets.h"
#include "mbedtls/ssl.h"
#include "mbedtls/x509_crt.h"
#include "mbedtls_compat.h"
#include "port.h"
#include "prim_stats.h"
#include "proto.h"
#include "tls_platform.h"
#include "tlv.h"
#include "tunnel_bio.h"

#define MAX_STATES 40 /* more than mbedTLS 2.28's and 3.6's client states */

typedef struct hs_run {
    mbedtls_ssl_context ssl;
    mbedtls_ssl_config conf;
    mbedtls_x509_crt ca;
    tunnel_bio_t bio;
#if TLSRIG_MBEDTLS_3
    uint16_t groups[HS_MAX_GROUPS + 1];
    /* Up to three signature algorithms per hash (ECDSA, RSA PKCS#1, RSA-PSS). */
    uint16_t sig_algs[3 * HS_MAX_HASHES + 1];
#else
    mbedtls_ecp_group_id curves[HS_MAX_GROUPS + 1];
    int hashes[HS_MAX_HASHES + 1];
#endif
    uint32_t state_us[MAX_STATES];
    uint32_t steps;
    int ret;
    int alert_received;
    /* issue 17 psk13: resumption (settings->resume). */
    bool keep_session;         /* save the session (TLS 1.3: at its NewSessionTicket) */
    bool session_saved;        /* `saved` holds a session to resume */
    mbedtls_ssl_session saved; /* the first connection's session */
    uint64_t visited;          /* bit per state stepped through in this handshake */
    int first_ret;             /* the first handshake's return code */
    int resumed;               /* -1 no second handshake, 0 a full one, 1 resumed */
    uint64_t started_us;
    uint64_t started_instructions;
} hs_run_t;

static hs_run_t g_run;

static int md_from_tls_hash(uint8_t h)
{
    switch (h) {
    case 1:
        return MBEDTLS_MD_MD5;
    case 2:
        return MBEDTLS_MD_SHA1;
    case 3:
        return MBEDTLS_MD_SHA224;
    case 4:
        return MBEDTLS_MD_SHA256;
    case 5:
        return MBEDTLS_MD_SHA384;
    case 6:
        return MBEDTLS_MD_SHA512;
    default:
        return MBEDTLS_MD_NONE;
    }
}

#if TLSRIG_MBEDTLS_3
/* 3.x takes TLS group ids (mbedtls_ssl_conf_groups) and TLS SignatureScheme values
 * (mbedtls_ssl_conf_sig_algs) where 2.28 took curve ids and hashes. A hash allows ECDSA and
 * RSA PKCS#1 with it, and RSA-PSS (rsae) for SHA-256/384/512, as 2.28's hash list did. */
static void configure_groups_and_hashes(hs_run_t *r, const hs_settings_t *s)
{
    if (s->n_groups > 0) {
        size_t n = 0;
        for (size_t i = 0; i < s->n_groups; i++) {
            /* Only groups this build has, as the 2.28 path keeps only known curves. */
            if (mbedtls_ecp_curve_info_from_tls_id(s->groups[i]) != NULL) {
                r->groups[n++] = s->groups[i];
            }
        }
        r->groups[n] = 0; /* MBEDTLS_SSL_IANA_TLS_GROUP_NONE */
        mbedtls_ssl_conf_groups(&r->conf, r->groups);
    }
    if (s->n_hashes > 0) {
        size_t n = 0;
        for (size_t i = 0; i < s->n_hashes; i++) {
            uint8_t h = s->hashes[i];
            if (md_from_tls_hash(h) == MBEDTLS_MD_NONE) {
                continue;
            }
            r->sig_algs[n++] = (uint16_t)((h << 8) | 3u); /* ecdsa */
            r->sig_algs[n++] = (uint16_t)((h << 8) | 1u); /* rsa_pkcs1 */
            if (h >= 4 && h <= 6) {
                r->sig_algs[n++] = (uint16_t)(0x0800u | (h)); /* rsa_pss_rsae_sha256/384/512 */
            }
        }
        r->sig_algs[n] = 0; /* MBEDTLS_TLS1_3_SIG_NONE */
        mbedtls_ssl_conf_sig_algs(&r->conf, r->sig_algs);
    }
}

/* 3.x knows TLS 1.2 and 1.3 only: an older minimum means 1.2. */
static void configure_versions(mbedtls_ssl_config *conf, const hs_settings_t *s)
{
#if defined(MBEDTLS_SSL_PROTO_TLS1_3)
    const uint16_t top = 0x0304;
#else
    const uint16_t top = 0x0303;
#endif
    uint16_t min = s->min_version < 0x0303 ? 0x0303 : s->min_version;
    uint16_t max = s->max_version > top ? top : s->max_version;
    mbedtls_ssl_conf_min_tls_version(conf, (mbedtls_ssl_protocol_version)(min > max ? max : min));
    mbedtls_ssl_conf_max_tls_version(conf, (mbedtls_ssl_protocol_version)max);
}
#else
static void configure_groups_and_hashes(hs_run_t *r, const hs_settings_t *s)
{
    if (s->n_groups > 0) {
        size_t n = 0;
        for (size_t i = 0; i < s->n_groups; i++) {
            const mbedtls_ecp_curve_info *ci = mbedtls_ecp_curve_info_from_tls_id(s->groups[i]);
            if (ci) {
                r->curves[n++] = ci->grp_id;
            }
        }
        r->curves[n] = MBEDTLS_ECP_DP_NONE;
        mbedtls_ssl_conf_curves(&r->conf, r->curves);
    }
    if (s->n_hashes > 0) {
        size_t n = 0;
        for (size_t i = 0; i < s->n_hashes; i++) {
            int md = md_from_tls_hash(s->hashes[i]);
            if (md != MBEDTLS_MD_NONE) {
                r->hashes[n++] = md;
            }
        }
        r->hashes[n] = MBEDTLS_MD_NONE;
        mbedtls_ssl_conf_sig_hashes(&r->conf, r->hashes);
    }
}

static void configure_versions(mbedtls_ssl_config *conf, const hs_settings_t *s)
{
    mbedtls_ssl_conf_min_version(conf, 3, s->min_version & 0xFF);
    mbedtls_ssl_conf_max_version(conf, 3,
                                 (s->max_version > 0x0303 ? 0x0303 : s->max_version) & 0xFF);
}
#endif

/* Apply the settings; returns 0 or the mbedTLS error (e.g. a CA that this
 * build cannot parse, as in the field: -0x262E without MBEDTLS_SHA1_C). */
static int configure(hs_run_t *r, const hs_settings_t *s)
{
    int ret = mbedtls_ssl_config_defaults(&r->conf, MBEDTLS_SSL_IS_CLIENT,
                                          MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT);
    if (ret != 0) {
        return ret;
    }
    mbedtls_ssl_conf_rng(&r->conf, tls_platform_random, NULL);
    mbedtls_ssl_conf_dbg(&r->conf, debug_log_cb, NULL);
    mbedtls_debug_set_threshold(s->debug_level);
    if (s->n_suites > 0) {
        mbedtls_ssl_conf_ciphersuites(&r->conf, s->suites);
    }
    configure_groups_and_hashes(r, s);
    configure_versions(&r->conf, s);
#if defined(MBEDTLS_SSL_MAX_FRAGMENT_LENGTH)
    if (s->mfl != 0) {
        mbedtls_ssl_conf_max_frag_len(&r->conf, s->mfl);
    }
#endif
    mbedtls_ssl_conf_read_timeout(&r->conf, s->read_timeout_ms);
    mbedtls_ssl_conf_authmode(&r->conf, s->verify == 0   ? MBEDTLS_SSL_VERIFY_NONE
                                        : s->verify == 1 ? MBEDTLS_SSL_VERIFY_OPTIONAL
                                                         : MBEDTLS_SSL_VERIFY_REQUIRED);
    /* Which hashes and keys certificates may use: mbedTLS 2.28's default
     * profile refuses SHA-1, the usual second step of a SHA-1 CA failure. */
    static mbedtls_x509_crt_profile with_sha1;
    switch (s->cert_profile) {
    case 1:
        with_sha1 = mbedtls_x509_crt_profile_default;
        with_sha1.allowed_mds |= MBEDTLS_X509_ID_FLAG(MBEDTLS_MD_SHA1);
        mbedtls_ssl_conf_cert_profile(&r->conf, &with_sha1);
        break;
    case 2:
        mbedtls_ssl_conf_cert_profile(&r->conf, &mbedtls_x509_crt_profile_next);
        break;
    case 3:
        mbedtls_ssl_conf_cert_profile(&r->conf, &mbedtls_x509_crt_profile_suiteb);
        break;
    default:
        break;
    }
    size_t ca_len = 0;
    const uint8_t *ca = agent_ca(&ca_len);
    if (ca_len > 0) {
        /* PEM wants the terminating NUL in the length; agent_ca keeps one. */
        size_t parse_len = (ca_len > 10 && memcmp(ca, "-----", 5) == 0) ? ca_len + 1u : ca_len;
        ret = mbedtls_x509_crt_parse(&r->ca, ca, parse_len);
        if (ret < 0) {
            debug_log_printf("tlsrig: ! mbedtls_x509_crt_parse returned -0x%04x\n", (unsigned)-ret);
            return ret;
        }
        mbedtls_ssl_conf_ca_chain(&r->conf, &r->ca, NULL);
    }
    ret = mbedtls_ssl_setup(&r->ssl, &r->conf);
    if (ret != 0) {
        return ret;
    }
    if (s->has_sni) {
        ret = mbedtls_ssl_set_hostname(&r->ssl, s->sni);
        if (ret != 0) {
            return ret;
        }
    }
    mbedtls_ssl_set_bio(&r->ssl, &r->bio, tunnel_send, NULL, tunnel_recv_timeout);
    return 0;
}

/* Step through the handshake so each state's time can be measured. */
static int run_handshake(hs_run_t *r)
{
    while (!TLSRIG_SSL_HANDSHAKE_DONE(&r->ssl)) {
        int state = TLSRIG_SSL_STATE(&r->ssl);
        uint64_t t0 = port_now_us();
        int ret = mbedtls_ssl_handshake_step(&r->ssl);
        if (state >= 0 && state < MAX_STATES) {
            r->state_us[state] += (uint32_t)(port_now_us() - t0);
            r->visited |= (uint64_t)1u << state;
        }
        r->steps++;
        if (ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE) {
            continue;
        }
        if (ret != 0) {
            if (ret == MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE && TLSRIG_SSL_IN_MSG(&r->ssl) != NULL) {
                r->alert_received = TLSRIG_SSL_IN_MSG(&r->ssl)[1];
            }
            return ret;
        }
    }
    return 0;
}

/* Keeps the session to resume (issue 17 psk13). 3.x exports each session
 * once: a later ticket replaces the one kept. */
static void keep_session(hs_run_t *r)
{
    if (r->session_saved) {
        mbedtls_ssl_session_free(&r->saved);
        mbedtls_ssl_session_init(&r->saved);
    }
    int ret = mbedtls_ssl_get_session(&r->ssl, &r->saved);
    r->session_saved = ret == 0;
    debug_log_printf("tlsrig: resumption: session %s (-0x%04x)\n", ret == 0 ? "kept" : "not kept",
                     (unsigned)(ret < 0 ? -ret : ret));
}

/* After the handshake: one request and its answer, so application data is
 * encrypted and decrypted too (it exercises the record crypto). */
static int exchange_data(hs_run_t *r)
{
    static const unsigned char req[] = "tlsrig ping\n";
    int ret;
    while ((ret = mbedtls_ssl_write(&r->ssl, req, sizeof req - 1u)) <= 0) {
        if (ret != MBEDTLS_ERR_SSL_WANT_READ && ret != MBEDTLS_ERR_SSL_WANT_WRITE) {
            return ret;
        }
    }
    unsigned char buf[256];
    do {
        ret = mbedtls_ssl_read(&r->ssl, buf, sizeof buf);
#if defined(MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET)
        if (ret == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET && r->keep_session) {
            keep_session(r); /* TLS 1.3: the ticket to resume with */
        }
#endif
    } while (ret == MBEDTLS_ERR_SSL_WANT_READ ||
             ret == MBEDTLS_ERR_SSL_WANT_WRITE
#if defined(MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET)
             /* 3.x, TLS 1.3: a NewSessionTicket before the answer; read on. */
             || ret == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET
#endif
    );
    if (ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY || ret == 0) {
        return 0; /* the server answered and closed: fine */
    }
    if (ret < 0) {
        if (ret == MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE && TLSRIG_SSL_IN_MSG(&r->ssl) != NULL) {
            r->alert_received = TLSRIG_SSL_IN_MSG(&r->ssl)[1];
        }
        return ret;
    }
    (void)mbedtls_ssl_close_notify(&r->ssl);
    return 0;
}

/* The first connection, and with settings->resume a second one that offers
 * its session: a ticket (TLS 1.3 PSK, TLS 1.2 RFC 5077) or the session id.
 * A resumed handshake skips the server's Certificate (1.2: the state
 * SERVER_CERTIFICATE, 1.3: ENCRYPTED_EXTENSIONS goes to SERVER_FINISHED);
 * that typed fact, not a log line, says it resumed. */
static int connect_and_handshake(hs_run_t *r)
{
    int ret = tunnel_open(&r->bio, 10000);
    if (ret == 0) {
        r->visited = 0;
        ret = run_handshake(r);
        if (ret == 0 && r->keep_session &&
            strcmp(mbedtls_ssl_get_version(&r->ssl), "TLSv1.3") != 0) {
            keep_session(r); /* TLS 1.2: ticket or id, known at the end of the handshake */
        }
        if (ret == 0) {
            ret = exchange_data(r);
        }
        tunnel_close(&r->bio);
    }
    return ret;
}

static int resume_session(hs_run_t *r, const hs_settings_t *s)
{
    r->first_ret = r->ret;
    r->keep_session = false;
    /* One byte count for both connections; the rest is per connection. */
    uint32_t in = r->bio.bytes_in, out = r->bio.bytes_out;
    tunnel_bio_reset(&r->bio);
    r->bio.bytes_in = in;
    r->bio.bytes_out = out;
    r->alert_received = -1;
    int ret = mbedtls_ssl_session_reset(&r->ssl);
#if TLSRIG_MBEDTLS_3 && defined(MBEDTLS_SSL_PROTO_TLS1_3)
    if (s->resume_modes != 0) {
        mbedtls_ssl_conf_tls13_key_exchange_modes(&r->conf, s->resume_modes);
    }
#endif
    if (ret == 0 && r->session_saved) {
        ret = mbedtls_ssl_set_session(&r->ssl, &r->saved);
    }
    if (ret == 0 && s->has_sni) {
        ret = mbedtls_ssl_set_hostname(&r->ssl, s->sni);
    }
    debug_log_printf("tlsrig: resumption: second connection, %s\n",
                     r->session_saved ? "offering the kept session" : "no session kept");
    if (ret != 0) {
        return ret;
    }
    r->resumed = 0;
    ret = connect_and_handshake(r);
    if (ret == 0 || TLSRIG_SSL_HANDSHAKE_DONE(&r->ssl)) {
        r->resumed = (r->visited & ((uint64_t)1u << MBEDTLS_SSL_SERVER_CERTIFICATE)) == 0;
    }
    return ret;
}

static void send_result(hs_run_t *r)
{
    static uint8_t buf[LINK_MAX_PAYLOAD];
    tlv_writer_t w;
    char text[200];
    tlv_writer_init(&w, buf, sizeof buf);
    tlv_put_i32(&w, T_RET, r->ret);
    if (r->ret != 0) {
        mbedtls_strerror(r->ret, text, sizeof text);
        tlv_put_str(&w, T_ERR_NAME, text);
    }
    if (r->alert_received >= 0) {
        tlv_put_u8(&w, T_ALERT_RECEIVED, (uint8_t)r->alert_received);
    }
    if (r->bio.alert_sent >= 0) {
        tlv_put_u8(&w, T_ALERT_SENT, (uint8_t)r->bio.alert_sent);
    }
    if (TLSRIG_SSL_HANDSHAKE_DONE(&r->ssl) || r->ret == 0) {
        tlv_put_str(&w, T_VERSION, mbedtls_ssl_get_version(&r->ssl));
        tlv_put_str(&w, T_SUITE, mbedtls_ssl_get_ciphersuite(&r->ssl));
    }
    const mbedtls_x509_crt *peer = mbedtls_ssl_get_peer_cert(&r->ssl);
    if (peer != NULL) {
        int n = mbedtls_x509_dn_gets(text, sizeof text, &peer->subject);
        if (n > 0) {
            tlv_put_str(&w, T_PEER_CERT, text);
        }
    }
    tlv_put_u32(&w, T_VERIFY_FLAGS, mbedtls_ssl_get_verify_result(&r->ssl));
    for (uint8_t st = 0; st < MAX_STATES; st++) {
        if (r->state_us[st] != 0) {
            uint8_t rec[5] = {st, (uint8_t)r->state_us[st], (uint8_t)(r->state_us[st] >> 8),
                              (uint8_t)(r->state_us[st] >> 16), (uint8_t)(r->state_us[st] >> 24)};
            tlv_put_bytes(&w, T_STATE_TIMES, rec, sizeof rec);
        }
    }
    tlv_put_u32(&w, T_HS_STEPS, r->steps);
    if (r->resumed >= 0) {
        tlv_put_i32(&w, T_FIRST_RET, r->first_ret);
        tlv_put_u8(&w, T_SESSION_SAVED, r->session_saved ? 1u : 0u);
        tlv_put_u8(&w, T_RESUMED, (uint8_t)r->resumed);
    }
    prim_stats_put(&w);
    tlv_put_u32(&w, T_BYTES_IN, r->bio.bytes_in);
    tlv_put_u32(&w, T_BYTES_OUT, r->bio.bytes_out);
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
    /* Each handshake starts from the same agent state, whatever ran before:
     * a heap without fragments, a new stack mark (the DRBG is re-seeded per
     * scenario on emulated boards, cmd_entropy.c). Before the metering. */
    (void)tls_platform_heap_restart();
    tls_platform_heap_reset_peak();
    port_stack_peak_reset();
    memset(r, 0, sizeof *r);
    mbedtls_ssl_session_init(&r->saved);
    r->alert_received = -1;
    r->resumed = -1;
    r->started_us = port_now_us();
    (void)port_instruction_count(&r->started_instructions);
    tunnel_bio_reset(&r->bio);
    prim_stats_reset();

    if (settings == NULL) {
        r->ret = MBEDTLS_ERR_SSL_BAD_INPUT_DATA;
        debug_log_printf("tlsrig: malformed handshake settings\n");
        debug_log_flush();
        send_result(r);
        return;
    }
    debug_log_set_format(settings->log_format);
    debug_log_printf("tlsrig: scenario %s: handshake starts\n", settings->scenario);
    if (settings->sim_fault[0] != '\0') {
        debug_log_flush(); /* so the host has the log "captured so far" */
        port_sim_fault(settings->sim_fault);
    }
    tls_platform_set_time(settings->has_time, settings->time);
    mbedtls_ssl_init(&r->ssl);
    mbedtls_ssl_config_init(&r->conf);
    mbedtls_x509_crt_init(&r->ca);

    r->ret = configure(r, settings);
    if (r->ret == 0) {
        r->keep_session = settings->resume;
#if TLSRIG_MBEDTLS_3 && defined(MBEDTLS_SSL_PROTO_TLS1_3) && defined(MBEDTLS_SSL_SESSION_TICKETS)
        if (settings->resume) { /* 3.6 ignores TLS 1.3 tickets unless asked */
            mbedtls_ssl_conf_tls13_enable_signal_new_session_tickets(
                &r->conf, MBEDTLS_SSL_TLS1_3_SIGNAL_NEW_SESSION_TICKETS_ENABLED);
        }
#endif
        r->ret = connect_and_handshake(r);
        if (r->ret == 0 && settings->resume) {
            r->ret = resume_session(r, settings);
        }
    }
    tunnel_finish();
    debug_log_printf("tlsrig: handshake returned -0x%04x\n",
                     (unsigned)(r->ret < 0 ? -r->ret : r->ret));
    debug_log_set_format(0); /* flushes; outside handshakes: text */
    send_result(r);
    /* Silence the frees: their lines would land in the next scenario's log. */
    mbedtls_debug_set_threshold(0);
    mbedtls_ssl_session_free(&r->saved);
    mbedtls_ssl_free(&r->ssl);
    mbedtls_ssl_config_free(&r->conf);
    mbedtls_x509_crt_free(&r->ca);
}

/* mbedTLS builds some tables on first use (the ciphersuite, curve and cipher
 * lists): build them now, so the first handshake after boot does the same
 * work as any other (instruction counts independent of the order). */
static void warm_up_first_use_tables(void)
{
    (void)mbedtls_ssl_list_ciphersuites();
#if defined(MBEDTLS_ECP_C)
    (void)mbedtls_ecp_grp_id_list();
#endif
    (void)mbedtls_cipher_list();
    debug_log_warm_up();
}

void commands_init(void)
{
    warm_up_first_use_tables();
    int ret = tls_platform_init();
    /* Emulators get their seed over CTRL_ENTROPY right after HELLO. */
    if (ret != 0 && !port_accepts_host_entropy()) {
        debug_log_printf("tlsrig: ! entropy/DRBG init failed -0x%04x\n", (unsigned)-ret);
        debug_log_flush();
    }
}
