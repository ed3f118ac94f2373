#include "agent_needs.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Read from the agent's code; each entry names where the need comes from. Modules that
 * mbedTLS's own check_config.h already ties to these (PLATFORM_MEMORY for
 * MEMORY_BUFFER_ALLOC_C, HAVE_TIME for PLATFORM_TIME_ALT, ...) fail the preprocessing
 * step with mbedTLS's message instead. */
static const agent_need_t k_needs[] = {
    {"MBEDTLS_SSL_TLS_C", NULL, NULL, NULL, NEED_DEFINED,
     "the agent runs TLS handshakes (cmd_handshake.c: mbedtls_ssl_setup(), "
     "mbedtls_ssl_handshake_step())"},
    {"MBEDTLS_SSL_CLI_C", NULL, NULL, NULL, NEED_DEFINED,
     "the agent is a TLS client (cmd_handshake.c: mbedtls_ssl_config_defaults(MBEDTLS_SSL_IS_"
     "CLIENT))"},
    {"MBEDTLS_X509_CRT_PARSE_C", NULL, NULL, NULL, NEED_DEFINED,
     "the agent verifies the server's chain against the CA the host uploads and sets the "
     "scenario's host name (cmd_handshake.c: mbedtls_x509_crt_parse(), "
     "mbedtls_ssl_conf_ca_chain(), mbedtls_ssl_set_hostname())"},
    {"MBEDTLS_KEY_EXCHANGE_WITH_CERT_ENABLED", NULL, NULL, "mbedtls-2.28", NEED_DEFINED,
     "at least one certificate-based key exchange (e.g. MBEDTLS_KEY_EXCHANGE_ECDHE_RSA_ENABLED): "
     "the agent sets the scenario's signature hashes (cmd_handshake.c: "
     "mbedtls_ssl_conf_sig_hashes())"},
    {"MBEDTLS_SSL_HANDSHAKE_WITH_CERT_ENABLED", NULL, NULL, "mbedtls-3.6", NEED_DEFINED,
     "at least one certificate-based key exchange: the agent sets the scenario's signature "
     "algorithms (cmd_handshake.c: mbedtls_ssl_conf_sig_algs())"},
    {"MBEDTLS_DEBUG_C", NULL, NULL, NULL, NEED_DEFINED,
     "the rig reads the client's debug log: results, logs/ and every diagnosis come from it "
     "(cmd_handshake.c: mbedtls_ssl_conf_dbg(), mbedtls_debug_set_threshold())"},
    {"MBEDTLS_ERROR_C", "MBEDTLS_ERROR_STRERROR_DUMMY", NULL, NULL, NEED_DEFINED,
     "the RESULT names the error (cmd_handshake.c send_result(): mbedtls_strerror())"},
    {"MBEDTLS_ECP_C", NULL, NULL, NULL, NEED_DEFINED,
     "the agent maps the scenario's groups and lists the build's curves in HELLO "
     "(cmd_handshake.c: mbedtls_ecp_curve_info_from_tls_id(); cmd_hello.c: "
     "mbedtls_ecp_curve_list())"},
    {"MBEDTLS_CIPHER_C", NULL, NULL, NULL, NEED_DEFINED,
     "the agent builds mbedTLS's cipher table at start (cmd_handshake.c: mbedtls_cipher_list())"},
    {"MBEDTLS_ENTROPY_C", NULL, NULL, NULL, NEED_DEFINED,
     "the agent seeds its random generator from the port's entropy source (tls_platform.c: "
     "mbedtls_entropy_add_source())"},
    {"MBEDTLS_CTR_DRBG_C", NULL, NULL, NULL, NEED_DEFINED,
     "the agent's random generator (tls_platform.c: mbedtls_ctr_drbg_seed(), "
     "mbedtls_ctr_drbg_random())"},
    {"MBEDTLS_NO_PLATFORM_ENTROPY", NULL, NULL, NULL, NEED_DEFINED,
     "entropy comes from the port alone (from the host in seed mode, so emulated runs repeat); "
     "mbedTLS's platform source would mix in the OS's and does not build for Cortex-M "
     "(tls_platform.c, port_*.c)"},
    {"MBEDTLS_MEMORY_BUFFER_ALLOC_C", NULL, NULL, NULL, NEED_DEFINED,
     "mbedTLS allocates from the agent's static heap, restarted per handshake and measured "
     "(tls_platform.c: mbedtls_memory_buffer_alloc_init())"},
    {"MBEDTLS_PLATFORM_TIME_ALT", NULL, NULL, NULL, NEED_DEFINED,
     "the host sets the client's clock per scenario (tls_platform.c: "
     "mbedtls_platform_set_time())"},
    {"MBEDTLS_AES_C", NULL, NULL, NULL, NEED_DEFINED,
     "the crypto self-tests and micro-benchmarks run AES (selftest_aes.c, cmd_bench.c)"},
    {"MBEDTLS_CIPHER_MODE_CBC", NULL, NULL, NULL, NEED_DEFINED,
     "the AES-CBC micro-benchmark (cmd_bench.c: bench_aes_cbc())"},
    {"MBEDTLS_GCM_C", NULL, NULL, NULL, NEED_DEFINED,
     "the AES-GCM micro-benchmark (cmd_bench.c: bench_aes_gcm())"},
    {"MBEDTLS_SHA256_C", NULL, NULL, NULL, NEED_DEFINED,
     "per-scenario seeds are derived from the host's seed with SHA-256 (host_seed.c), and the "
     "SHA-256 micro-benchmark (cmd_bench.c)"},
    {"MBEDTLS_THREADING_C", NULL, NULL, "mbedtls-2.28", NEED_UNDEFINED,
     "the compact debug log reproduces debug.c's lines without THREADING_C's \"%p: \" prefix "
     "(debug_wrap.c)"},
    {"MBEDTLS_PSA_CRYPTO_EXTERNAL_RNG", NULL, "MBEDTLS_PSA_CRYPTO_C", "mbedtls-3.6", NEED_DEFINED,
     "with MBEDTLS_PSA_CRYPTO_C, PSA (TLS 1.3) must draw from the agent's generator "
     "(tls_platform.c: mbedtls_psa_external_get_random()); with MBEDTLS_NO_PLATFORM_ENTROPY "
     "psa_crypto_init() has no entropy of its own"},
};

size_t agent_needs_count(void)
{
    return sizeof k_needs / sizeof k_needs[0];
}

const agent_need_t *agent_need_at(size_t i)
{
    return i < agent_needs_count() ? &k_needs[i] : NULL;
}

size_t agent_needs_check(const user_config_t *c, char *msg, size_t cap)
{
    size_t missing = 0, used = strlen(msg);
    for (size_t i = 0; i < agent_needs_count(); i++) {
        const agent_need_t *n = &k_needs[i];
        if ((n->stack && strcmp(n->stack, c->stack) != 0) ||
            (n->when && !config_macros_defined(&c->effective, n->when))) {
            continue;
        }
        bool defined = config_macros_defined(&c->effective, n->macro) ||
                       (n->alt && config_macros_defined(&c->effective, n->alt));
        bool met = n->kind == NEED_DEFINED ? defined : !defined;
        if (met) {
            continue;
        }
        missing++;
        char nor[96] = "";
        if (n->alt) {
            snprintf(nor, sizeof nor, " (nor %s)", n->alt);
        }
        if (used < cap) {
            used += (size_t)snprintf(msg + used, cap - used, "  - %s %s%s: %s\n", n->macro,
                                     n->kind == NEED_DEFINED ? "is not defined" : "is defined", nor,
                                     n->why);
        }
    }
    return missing;
}
