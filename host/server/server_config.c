/* Builds the one mbedTLS server configuration a tls_server shares between
 * its connections, from the profile: chains, suites, groups, versions,
 * client authentication and the handshake features. */
#include "chain_keys.h"
#include "server_internal.h"

#include <mbedtls/debug.h>
#include <mbedtls/error.h>
#include <mbedtls/sha256.h>
#include <mbedtls/ssl_ciphersuites.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "certs.h"
#include "certs_memo.h"
#include "chain_cache.h"
#include "key_cache.h"
#include "server_tls13.h"

/* Connection thread's debug log: mbedTLS 2.28's debug callback does not say
 * which context it is called for, and each connection has its own thread. */
_Thread_local FILE *server_thread_log;

static void debug_to_log(void *ctx, int level, const char *file, int line, const char *str)
{
    (void)ctx;
    if (!server_thread_log)
        return;
    const char *base = strrchr(file, '/');
    char text[1200];
    snprintf(text, sizeof text, "mbedtls %d %s:%d: %s", level, base ? base + 1 : file, line, str);
    capture_log_line(server_thread_log, text);
}

static int mbed_fail(char *err, size_t errlen, const char *what, int ret)
{
    char msg[160];
    mbedtls_strerror(ret, msg, sizeof msg);
    snprintf(err, errlen, "%s: -0x%04x %s", what, (unsigned)-ret, msg);
    return -1;
}

static int load_chain(tls_server_t *s, const tls_server_opts_t *o, const char *name, char *err,
                      size_t errlen)
{
    cert_chain_files_t files;
    char cerr[256] = "";
    if (certs_memo_ensure(o->recipes_path, o->certs_cache, name, &files, cerr, sizeof cerr) != 0) {
        snprintf(err, errlen, "chain %s: %s", name, cerr);
        return -1;
    }
    size_t i = s->n_certs;
    if (chain_cache_get(files.chain_pem, &s->certs[i], err, errlen) != 0)
        return -1;
    /* A copy of the process's parsed key, its RSA blinding already set up. */
    if (key_cache_load(&s->keys[i], files.key_pem, s->test_seed[0] != '\0', err, errlen) != 0)
        return -1;
    int ret = mbedtls_ssl_conf_own_cert(&s->conf, s->certs[i], &s->keys[i]);
    if (ret != 0)
        return mbed_fail(err, errlen, "own cert", ret);
    /* The policy picks suites by the key of the certificate actually served. */
    s->profile.chain_keys[i] = server_crt_key(s->certs[i]);
    /* The TLS 1.3 worker loads the same files (a longer path: no worker). */
    size_t lc = strlen(files.chain_pem), lk = strlen(files.key_pem);
    if (lc < SERVER_PATH_LEN && lk < SERVER_PATH_LEN) {
        memcpy(s->tls13.chain_pem[i], files.chain_pem, lc + 1);
        memcpy(s->tls13.key_pem[i], files.key_pem, lk + 1);
        s->tls13.n_chains = i + 1;
    }
    s->n_certs++;
    return 0;
}

/* TLS 1.3 has no server in mbedTLS 2.28; versions are clamped to 1.0..1.2
 * (tls13-only profiles refuse in server_conn.c instead). */
static int minor_of(uint16_t version, int fallback)
{
    if (version == 0)
        return fallback;
    if (version < 0x0301)
        return MBEDTLS_SSL_MINOR_VERSION_1;
    if (version > 0x0303)
        return MBEDTLS_SSL_MINOR_VERSION_3;
    return version - 0x0300;
}

/* TEST ONLY "entropy": SHA-256 of the seed and a counter. */
static int test_entropy(void *ctx, unsigned char *out, size_t len)
{
    tls_server_t *s = ctx;
    while (len > 0) {
        unsigned char block[32], in[sizeof s->test_seed + 4];
        size_t n = strlen(s->test_seed);
        memcpy(in, s->test_seed, n);
        memcpy(in + n, &s->test_counter, sizeof s->test_counter);
        s->test_counter++;
        mbedtls_sha256_ret(in, n + sizeof s->test_counter, block, 0);
        size_t take = len < sizeof block ? len : sizeof block;
        memcpy(out, block, take);
        out += take;
        len -= take;
    }
    return 0;
}

int server_config_setup(tls_server_t *s, const tls_server_opts_t *o, char *err, size_t errlen)
{
    const server_profile_t *p = &s->profile;
    /* Seeded runs never read OS entropy: no entropy context to set up. */
    snprintf(s->test_seed, sizeof s->test_seed, "%s", o->test_seed ? o->test_seed : "");
    bool seeded = s->test_seed[0] != '\0';
    if (!seeded)
        mbedtls_entropy_init(&s->entropy);
    mbedtls_ctr_drbg_init(&s->drbg);
    mbedtls_ssl_config_init(&s->conf);
    for (size_t i = 0; i < PROFILE_MAX_CHAINS; i++) {
        s->certs[i] = NULL;
        mbedtls_pk_init(&s->keys[i]);
    }
    mbedtls_x509_crt_init(&s->client_ca);
    mbedtls_ssl_ticket_init(&s->ticket);
    s->config_ready = true;

    static const char pers[] = "tlsrig-server";
    int ret;
    if (seeded) {
        s->test_counter = 0;
        ret = mbedtls_ctr_drbg_seed(&s->drbg, test_entropy, s, (const unsigned char *)pers,
                                    sizeof pers - 1);
    } else {
        ret = mbedtls_ctr_drbg_seed(&s->drbg, mbedtls_entropy_func, &s->entropy,
                                    (const unsigned char *)pers, sizeof pers - 1);
    }
    if (ret != 0)
        return mbed_fail(err, errlen, "seeding the DRBG", ret);
    ret = mbedtls_ssl_config_defaults(&s->conf, MBEDTLS_SSL_IS_SERVER, MBEDTLS_SSL_TRANSPORT_STREAM,
                                      MBEDTLS_SSL_PRESET_DEFAULT);
    if (ret != 0)
        return mbed_fail(err, errlen, "config defaults", ret);
    mbedtls_ssl_conf_rng(&s->conf, mbedtls_ctr_drbg_random, &s->drbg);
    mbedtls_ssl_conf_dbg(&s->conf, debug_to_log, NULL);
    mbedtls_debug_set_threshold(o->debug_level);

    if (p->n_chains == 0) {
        if (load_chain(s, o, "rsa2048", err, errlen) != 0)
            return -1;
    }
    for (size_t i = 0; i < p->n_chains && i < PROFILE_MAX_CHAINS; i++)
        if (load_chain(s, o, p->chains[i], err, errlen) != 0)
            return -1;

    if (p->n_suites > 0) {
        /* IANA ids are mbedTLS ids; drop those this build does not know. */
        size_t n = 0;
        for (size_t i = 0; i < p->n_suites && i < PROFILE_MAX_SUITES; i++)
            if (mbedtls_ssl_ciphersuite_from_id(p->suites[i]))
                s->suites[n++] = p->suites[i];
        s->suites[n] = 0;
        if (n > 0)
            mbedtls_ssl_conf_ciphersuites(&s->conf, s->suites);
    }
    if (p->n_groups > 0) {
        size_t n = 0;
        for (size_t i = 0; i < p->n_groups && i < PROFILE_MAX_GROUPS; i++) {
            const mbedtls_ecp_curve_info *ci = mbedtls_ecp_curve_info_from_tls_id(p->groups[i]);
            if (ci)
                s->curves[n++] = ci->grp_id;
        }
        s->curves[n] = MBEDTLS_ECP_DP_NONE;
        if (n > 0)
            mbedtls_ssl_conf_curves(&s->conf, s->curves);
    }
    mbedtls_ssl_conf_min_version(&s->conf, MBEDTLS_SSL_MAJOR_VERSION_3,
                                 minor_of(p->min_version, MBEDTLS_SSL_MINOR_VERSION_1));
    mbedtls_ssl_conf_max_version(&s->conf, MBEDTLS_SSL_MAJOR_VERSION_3,
                                 minor_of(p->max_version, MBEDTLS_SSL_MINOR_VERSION_3));

    if (p->client_auth_required) {
        cert_chain_files_t files;
        char cerr[256] = "";
        if (certs_memo_ensure(o->recipes_path, o->certs_cache, "client", &files, cerr,
                              sizeof cerr) != 0) {
            snprintf(err, errlen, "client CA: %s", cerr);
            return -1;
        }
        ret = mbedtls_x509_crt_parse_file(&s->client_ca, files.ca_pem);
        if (ret != 0)
            return mbed_fail(err, errlen, "parsing client CA", ret);
        mbedtls_ssl_conf_ca_chain(&s->conf, &s->client_ca, NULL);
        mbedtls_ssl_conf_authmode(&s->conf, MBEDTLS_SSL_VERIFY_REQUIRED);
    } else {
        mbedtls_ssl_conf_authmode(&s->conf, MBEDTLS_SSL_VERIFY_NONE);
    }

    if (p->max_fragment_length > 0 && p->max_fragment_length <= MBEDTLS_SSL_MAX_FRAG_LEN_4096) {
        ret = mbedtls_ssl_conf_max_frag_len(&s->conf, p->max_fragment_length);
        if (ret != 0)
            return mbed_fail(err, errlen, "max fragment length", ret);
    }
    /* EMS is always offered; requiring it is the policy's job. */
    mbedtls_ssl_conf_extended_master_secret(&s->conf, MBEDTLS_SSL_EXTENDED_MS_ENABLED);
    mbedtls_ssl_conf_encrypt_then_mac(&s->conf,
                                      p->etm ? MBEDTLS_SSL_ETM_ENABLED : MBEDTLS_SSL_ETM_DISABLED);
    mbedtls_ssl_conf_renegotiation(&s->conf, p->renegotiation ? MBEDTLS_SSL_RENEGOTIATION_ENABLED
                                                              : MBEDTLS_SSL_RENEGOTIATION_DISABLED);
    if (p->session_tickets) {
        ret = mbedtls_ssl_ticket_setup(&s->ticket, mbedtls_ctr_drbg_random, &s->drbg,
                                       MBEDTLS_CIPHER_AES_256_GCM, 86400);
        if (ret != 0)
            return mbed_fail(err, errlen, "ticket keys", ret);
        mbedtls_ssl_conf_session_tickets_cb(&s->conf, mbedtls_ssl_ticket_write,
                                            mbedtls_ssl_ticket_parse, &s->ticket);
    }
    /* TLS 1.3 (issue 17): the worker, when built and runnable, and the ticket
     * key every worker of this server shares. */
    const char *worker = server_tls13_worker_path();
    if (worker[0] && access(worker, X_OK) == 0)
        snprintf(s->tls13.worker, sizeof s->tls13.worker, "%s", worker);
    ret = mbedtls_ctr_drbg_random(&s->drbg, s->tls13.ticket_key, sizeof s->tls13.ticket_key);
    if (ret != 0)
        return mbed_fail(err, errlen, "TLS 1.3 ticket key", ret);
    return 0;
}

void server_config_free(tls_server_t *s)
{
    if (!s->config_ready)
        return;
    mbedtls_ssl_ticket_free(&s->ticket);
    mbedtls_x509_crt_free(&s->client_ca);
    mbedtls_ssl_config_free(&s->conf); /* before the chains it points at */
    for (size_t i = 0; i < PROFILE_MAX_CHAINS; i++) {
        chain_cache_put(s->certs[i]);
        s->certs[i] = NULL;
        mbedtls_pk_free(&s->keys[i]);
    }
    mbedtls_ctr_drbg_free(&s->drbg);
    if (s->test_seed[0] == '\0')
        mbedtls_entropy_free(&s->entropy);
    s->config_ready = false;
}
