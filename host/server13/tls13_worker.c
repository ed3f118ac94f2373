/* tlsrig-tls13-worker: one TLS 1.3 server handshake on mbedTLS 3.6 for the
 * tlsrig server (tls13_proto.h). Reads one request on fd 3, speaks TLS on
 * fd 4 (the client's bytes, relayed by the server, the first flight
 * included), writes one result on fd 3 and exits. Bounded: every read waits
 * at most io_timeout_ms, the whole run deadline_ms (then SIGALRM ends the
 * process; the server then reports the worker as killed). */
#define _GNU_SOURCE                  /* close_range */
#define MBEDTLS_ALLOW_PRIVATE_ACCESS /* handshake state: HRR, group, PSK mode */
#include <errno.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/debug.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/ssl_ticket.h>
#include <mbedtls/version.h>
#include <mbedtls/x509_crt.h>
#include <poll.h>
#include <psa/crypto.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "ssl_misc.h" /* mbedtls_ssl_handshake_params: HRR, group, PSK mode */
#include "tls13_proto.h"

typedef struct worker {
    tls13_request_t req;
    tls13_result_t res;
    FILE *log;
    mbedtls_entropy_context entropy;
    mbedtls_ctr_drbg_context drbg;
    mbedtls_ssl_config conf;
    mbedtls_ssl_context ssl;
    mbedtls_x509_crt certs[TLS13_MAX_CHAINS];
    mbedtls_pk_context keys[TLS13_MAX_CHAINS];
    mbedtls_ssl_ticket_context ticket;
    int suites[2];
    uint16_t groups[2];
} worker_t;

static worker_t w; /* one per process; static keeps the large structs off the stack */

/* The same "[seconds.micros] " prefix as the server's own lines (capture.c). */
static void log_line(const char *text)
{
    if (!w.log)
        return;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    fprintf(w.log, "[%lld.%06ld] %s%s", (long long)ts.tv_sec, ts.tv_nsec / 1000, text,
            text[0] && text[strlen(text) - 1] == '\n' ? "" : "\n");
    fflush(w.log);
}

static void debug_cb(void *ctx, int level, const char *file, int line, const char *str)
{
    (void)ctx;
    const char *base = strrchr(file, '/');
    char text[1200];
    snprintf(text, sizeof text, "mbedtls36 %d %s:%d: %s", level, base ? base + 1 : file, line, str);
    log_line(text);
}

static int read_exact(int fd, void *buf, size_t len, int timeout_ms)
{
    size_t got = 0;
    while (got < len) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int r = poll(&p, 1, timeout_ms);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        ssize_t n = read(fd, (char *)buf + got, len - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        got += (size_t)n;
    }
    return 0;
}

static int write_all(int fd, const void *buf, size_t len)
{
    size_t done = 0;
    while (done < len) {
        ssize_t n = send(fd, (const char *)buf + done, len - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        done += (size_t)n;
    }
    return 0;
}

static int bio_send(void *ctx, const unsigned char *buf, size_t len)
{
    (void)ctx;
    ssize_t n = send(TLS13_FD_DATA, buf, len, MSG_NOSIGNAL);
    if (n >= 0)
        return (int)n;
    return errno == EINTR ? MBEDTLS_ERR_SSL_WANT_WRITE : MBEDTLS_ERR_NET_SEND_FAILED;
}

static int bio_recv(void *ctx, unsigned char *buf, size_t len)
{
    (void)ctx;
    struct pollfd p = {.fd = TLS13_FD_DATA, .events = POLLIN};
    int r = poll(&p, 1, (int)w.req.io_timeout_ms);
    if (r == 0)
        return MBEDTLS_ERR_SSL_TIMEOUT;
    if (r < 0)
        return errno == EINTR ? MBEDTLS_ERR_SSL_WANT_READ : MBEDTLS_ERR_NET_RECV_FAILED;
    ssize_t n = recv(TLS13_FD_DATA, buf, len, 0);
    if (n >= 0)
        return (int)n; /* 0: the client closed (the relay shut its side) */
    return errno == EINTR ? MBEDTLS_ERR_SSL_WANT_READ : MBEDTLS_ERR_NET_RECV_FAILED;
}

/* A request is trusted input from the server, still checked: every string
 * must end inside its buffer, every count fit its array. */
static int check_request(const tls13_request_t *r)
{
    if (r->magic != TLS13_MAGIC_REQUEST || r->size != sizeof *r || r->n_chains == 0 ||
        r->n_chains > TLS13_MAX_CHAINS || !memchr(r->log_path, 0, sizeof r->log_path) ||
        !memchr(r->profile, 0, sizeof r->profile) || r->io_timeout_ms == 0 || r->deadline_ms == 0)
        return -1;
    for (uint32_t i = 0; i < r->n_chains; i++)
        if (!memchr(r->chain_pem[i], 0, TLS13_PATH_LEN) ||
            !memchr(r->key_pem[i], 0, TLS13_PATH_LEN))
            return -1;
    return 0;
}

static int fail_setup(const char *what, int ret)
{
    char text[240];
    mbedtls_strerror(ret, w.res.error, sizeof w.res.error);
    snprintf(text, sizeof text, "tlsrig-tls13-worker: %s: -0x%04x %s", what, (unsigned)-ret,
             w.res.error);
    log_line(text);
    w.res.ret = ret;
    return -1;
}

/* mbedtls_ssl_ticket_write, counted: 3.6 sends NewSessionTicket after the
 * handshake is over, from mbedtls_ssl_read/write. */
static int ticket_write(void *ctx, const mbedtls_ssl_session *session, unsigned char *start,
                        const unsigned char *end, size_t *tlen, uint32_t *lifetime)
{
    int ret = mbedtls_ssl_ticket_write(ctx, session, start, end, tlen, lifetime);
    if (ret == 0 && w.res.tickets_sent < 255)
        w.res.tickets_sent++;
    return ret;
}

static int setup(void)
{
    const tls13_request_t *r = &w.req;
    psa_status_t ps = psa_crypto_init();
    if (ps != PSA_SUCCESS)
        return fail_setup("psa_crypto_init", MBEDTLS_ERR_SSL_HW_ACCEL_FAILED);
    static const char pers[] = "tlsrig-tls13-worker";
    int ret = mbedtls_ctr_drbg_seed(&w.drbg, mbedtls_entropy_func, &w.entropy,
                                    (const unsigned char *)pers, sizeof pers - 1);
    if (ret)
        return fail_setup("seeding the DRBG", ret);
    ret = mbedtls_ssl_config_defaults(&w.conf, MBEDTLS_SSL_IS_SERVER, MBEDTLS_SSL_TRANSPORT_STREAM,
                                      MBEDTLS_SSL_PRESET_DEFAULT);
    if (ret)
        return fail_setup("config defaults", ret);
    mbedtls_ssl_conf_rng(&w.conf, mbedtls_ctr_drbg_random, &w.drbg);
    mbedtls_ssl_conf_dbg(&w.conf, debug_cb, NULL);
    mbedtls_debug_set_threshold(r->debug_level);
    mbedtls_ssl_conf_min_tls_version(&w.conf, MBEDTLS_SSL_VERSION_TLS1_3);
    mbedtls_ssl_conf_max_tls_version(&w.conf, MBEDTLS_SSL_VERSION_TLS1_3);
    for (uint32_t i = 0; i < r->n_chains; i++) {
        if ((ret = mbedtls_x509_crt_parse_file(&w.certs[i], r->chain_pem[i])) != 0)
            return fail_setup("parsing a chain", ret);
        ret = mbedtls_pk_parse_keyfile(&w.keys[i], r->key_pem[i], NULL, mbedtls_ctr_drbg_random,
                                       &w.drbg);
        if (ret)
            return fail_setup("parsing a key", ret);
        if ((ret = mbedtls_ssl_conf_own_cert(&w.conf, &w.certs[i], &w.keys[i])) != 0)
            return fail_setup("own cert", ret);
    }
    /* The policy's choice only, so the worker answers what replay predicts:
     * a client without a key share for the group gets a HelloRetryRequest. */
    if (r->suite) {
        w.suites[0] = r->suite;
        mbedtls_ssl_conf_ciphersuites(&w.conf, w.suites);
    }
    if (r->group) {
        w.groups[0] = r->group;
        mbedtls_ssl_conf_groups(&w.conf, w.groups);
    }
    mbedtls_ssl_conf_tls13_key_exchange_modes(&w.conf, r->kex_modes & 7);
    if (r->tickets) {
        ret = mbedtls_ssl_ticket_setup(&w.ticket, mbedtls_ctr_drbg_random, &w.drbg,
                                       MBEDTLS_CIPHER_AES_256_GCM, 86400);
        /* The server's key for every worker: a ticket from one connection opens in the next. */
        static const unsigned char name[4] = {'t', 'l', '1', '3'};
        if (!ret)
            ret = mbedtls_ssl_ticket_rotate(&w.ticket, name, sizeof name, r->ticket_key,
                                            sizeof r->ticket_key, 86400);
        if (ret)
            return fail_setup("ticket keys", ret);
        mbedtls_ssl_conf_session_tickets_cb(&w.conf, ticket_write, mbedtls_ssl_ticket_parse,
                                            &w.ticket);
        mbedtls_ssl_conf_new_session_tickets(&w.conf, 1);
    } else {
        mbedtls_ssl_conf_new_session_tickets(&w.conf, 0);
    }
    if ((ret = mbedtls_ssl_setup(&w.ssl, &w.conf)) != 0)
        return fail_setup("ssl setup", ret);
    mbedtls_ssl_set_bio(&w.ssl, NULL, bio_send, bio_recv, NULL);
    return 0;
}

/* What only the live handshake structure knows, read after every step. */
static void observe(int state_before)
{
    mbedtls_ssl_handshake_params *h = w.ssl.handshake;
    if (state_before == MBEDTLS_SSL_HELLO_RETRY_REQUEST)
        w.res.hello_retry_sent = 1;
    if (state_before == MBEDTLS_SSL_SERVER_CCS_AFTER_SERVER_HELLO ||
        state_before == MBEDTLS_SSL_SERVER_CCS_AFTER_HELLO_RETRY_REQUEST)
        w.res.ccs_sent = 1;
    if (!h)
        return;
    if (h->offered_group_id)
        w.res.group = h->offered_group_id;
    if (h->key_exchange_mode == MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK ||
        h->key_exchange_mode == MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK_EPHEMERAL)
        w.res.resumed = 1;
    if (h->key_exchange_mode != 0) /* mbedTLS's bits are TLS13_KEX_*'s */
        w.res.kex_mode = (uint8_t)h->key_exchange_mode;
}

static void handshake(void)
{
    int ret = 0;
    while (ret == 0 && !mbedtls_ssl_is_handshake_over(&w.ssl)) {
        int before = w.ssl.state;
        ret = mbedtls_ssl_handshake_step(&w.ssl);
        if (ret == 0)
            observe(before);
        /* A reaction at a TLS 1.3 point: EncryptedExtensions went out. */
        if (ret == 0 && before == MBEDTLS_SSL_ENCRYPTED_EXTENSIONS && w.req.alert_after_ee) {
            /* send_alert_message() only flushes when output is pending. */
            if (mbedtls_ssl_flush_output(&w.ssl) == 0 &&
                mbedtls_ssl_send_alert_message(&w.ssl, MBEDTLS_SSL_ALERT_LEVEL_FATAL,
                                               w.req.alert_after_ee) == 0)
                w.res.alert_sent = w.req.alert_after_ee;
            log_line("tlsrig-tls13-worker: fatal alert after EncryptedExtensions (profile)");
            ret = MBEDTLS_ERR_SSL_HANDSHAKE_FAILURE;
        }
    }
    /* NewSessionTicket: states past HANDSHAKE_OVER in 3.6; sent now, before
     * the client's first read, so a client that closes at once has it. */
    while (ret == 0 && (w.ssl.state == MBEDTLS_SSL_TLS1_3_NEW_SESSION_TICKET ||
                        w.ssl.state == MBEDTLS_SSL_TLS1_3_NEW_SESSION_TICKET_FLUSH))
        ret = mbedtls_ssl_handshake_step(&w.ssl);
    if (ret == MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE && w.ssl.in_msg)
        w.res.alert_received = w.ssl.in_msg[1];
    if (ret != 0 && w.res.alert_sent < 0 && w.ssl.alert_type != 0)
        w.res.alert_sent = (int16_t)w.ssl.alert_type;
    w.res.ret = ret;
    if (ret != 0) {
        mbedtls_strerror(ret, w.res.error, sizeof w.res.error);
        char text[240];
        snprintf(text, sizeof text, "tlsrig: TLS 1.3 handshake failed: %s", w.res.error);
        log_line(text);
        return;
    }
    snprintf(w.res.version, sizeof w.res.version, "%s", mbedtls_ssl_get_version(&w.ssl));
    snprintf(w.res.suite, sizeof w.res.suite, "%s", mbedtls_ssl_get_ciphersuite(&w.ssl));
    char text[200];
    snprintf(text, sizeof text, "tlsrig: TLS 1.3 handshake done, %s%s%s", w.res.suite,
             w.res.hello_retry_sent ? ", after HelloRetryRequest" : "",
             w.res.resumed ? ", resumed (PSK)" : "");
    log_line(text);
    /* As the 2.28 path: one read, a one-line answer, close_notify. */
    unsigned char buf[1024];
    int n;
    do
        n = mbedtls_ssl_read(&w.ssl, buf, sizeof buf);
    while (n == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET || n == MBEDTLS_ERR_SSL_WANT_READ);
    if (n > 0) {
        char answer[160];
        int len = snprintf(answer, sizeof answer, "tlsrig server, profile %s\n", w.req.profile);
        mbedtls_ssl_write(&w.ssl, (const unsigned char *)answer, (size_t)len);
    } else if (n == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) {
        w.res.alert_received = 0;
    } else if (n == MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE && w.ssl.in_msg) {
        w.res.alert_received = w.ssl.in_msg[1];
    }
    mbedtls_ssl_close_notify(&w.ssl);
}

int main(void)
{
    int rc = 2;
    signal(SIGPIPE, SIG_IGN);
    /* Only fds 0-4 are ours; whatever else the server had open when it
     * spawned us must not be held open here (its clients' FINs). */
    close_range(TLS13_FD_DATA + 1, ~0u, 0);
    w.res.magic = TLS13_MAGIC_RESULT;
    w.res.size = sizeof w.res;
    w.res.alert_sent = w.res.alert_received = -1;
    snprintf(w.res.library, sizeof w.res.library, "mbedTLS %s", MBEDTLS_VERSION_STRING);
    if (read_exact(TLS13_FD_CONTROL, &w.req, sizeof w.req, 10000) != 0 ||
        check_request(&w.req) != 0) {
        fprintf(stderr, "tlsrig-tls13-worker: no valid request on fd %d\n", TLS13_FD_CONTROL);
        return 2;
    }
    /* The hard bound: a handshake that outlives its deadline ends the process. */
    struct itimerval it = {.it_value = {.tv_sec = w.req.deadline_ms / 1000,
                                        .tv_usec = (w.req.deadline_ms % 1000) * 1000}};
    setitimer(ITIMER_REAL, &it, NULL);
    if (w.req.log_path[0])
        w.log = fopen(w.req.log_path, "a");
    mbedtls_entropy_init(&w.entropy);
    mbedtls_ctr_drbg_init(&w.drbg);
    mbedtls_ssl_config_init(&w.conf);
    mbedtls_ssl_init(&w.ssl);
    mbedtls_ssl_ticket_init(&w.ticket);
    for (int i = 0; i < TLS13_MAX_CHAINS; i++) {
        mbedtls_x509_crt_init(&w.certs[i]);
        mbedtls_pk_init(&w.keys[i]);
    }
    if (setup() == 0)
        handshake();
    rc = write_all(TLS13_FD_CONTROL, &w.res, sizeof w.res) == 0 ? 0 : 3;
    mbedtls_ssl_free(&w.ssl);
    mbedtls_ssl_ticket_free(&w.ticket);
    mbedtls_ssl_config_free(&w.conf);
    for (int i = 0; i < TLS13_MAX_CHAINS; i++) {
        mbedtls_x509_crt_free(&w.certs[i]);
        mbedtls_pk_free(&w.keys[i]);
    }
    mbedtls_ctr_drbg_free(&w.drbg);
    mbedtls_entropy_free(&w.entropy);
    mbedtls_psa_crypto_free();
    if (w.log)
        fclose(w.log);
    return rc;
}
