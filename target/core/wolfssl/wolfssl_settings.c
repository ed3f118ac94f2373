/* The HANDSHAKE settings (hs_settings_t, the same request as the mbedTLS images) mapped onto
 * wolfSSL's API. What a profile compiles out (HAVE_SNI, HAVE_SUPPORTED_CURVES, ...) is left
 * out here too, and the agent's log says so: the image then behaves as such a field build. */
#include <stdio.h>
#include <string.h>

#include "debug_log.h"
#include "wolfssl_glue.h"

bool wolfssl_settings_cipher_list(const int *suites, size_t n, char *out, size_t cap)
{
    size_t len = 0;
    bool any = false;
    if (cap == 0) {
        return false;
    }
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (suites[i] <= 0 || suites[i] > 0xFFFF) {
            continue;
        }
        const char *name =
            wolfSSL_get_cipher_name_from_suite((byte)(suites[i] >> 8), (byte)(suites[i] & 0xFF));
        if (name == NULL || strcmp(name, "None") == 0) {
            continue; /* not in this build */
        }
        int w = snprintf(out + len, cap - len, "%s%s", any ? ":" : "", name);
        if (w < 0 || (size_t)w >= cap - len) {
            return false;
        }
        len += (size_t)w;
        any = true;
    }
    return any;
}

static WOLFSSL_METHOD *method_for(const hs_settings_t *s)
{
#if defined(WOLFSSL_TLS13)
    if (s->min_version >= 0x0304) {
        return wolfTLSv1_3_client_method();
    }
    if (s->max_version >= 0x0304) {
        return wolfSSLv23_client_method(); /* TLS 1.3 down to the minimum below */
    }
#else
    (void)s;
#endif
    /* NO_OLD_TLS: TLS 1.2 is the only older version built in. */
    return wolfTLSv1_2_client_method();
}

/* verify: optional. The chain is checked and its error logged, the handshake goes on. */
static int verify_optional(int preverify, WOLFSSL_X509_STORE_CTX *store)
{
    if (!preverify && store != NULL) {
        debug_log_printf("tlsrig: verify optional: certificate error %d ignored\n", store->error);
    }
    return 1;
}

WOLFSSL_CTX *wolfssl_settings_ctx(const hs_settings_t *s, const uint8_t *ca, size_t ca_len,
                                  int *err)
{
    WOLFSSL_CTX *ctx = wolfSSL_CTX_new(method_for(s));
    *err = 0;
    if (ctx == NULL) {
        *err = MEMORY_E;
        return NULL;
    }
#if defined(WOLFSSL_TLS13)
    if (s->min_version >= 0x0304) {
        (void)wolfSSL_CTX_SetMinVersion(ctx, WOLFSSL_TLSV1_3);
    }
#endif
    switch (s->verify) {
    case 0:
        wolfSSL_CTX_set_verify(ctx, WOLFSSL_VERIFY_NONE, NULL);
        break;
    case 1:
        wolfSSL_CTX_set_verify(ctx, WOLFSSL_VERIFY_PEER, verify_optional);
        break;
    default:
        wolfSSL_CTX_set_verify(ctx, WOLFSSL_VERIFY_PEER, NULL);
        break;
    }
    if (s->cert_profile != 0) {
        debug_log_printf("tlsrig: cert_profile %u is mbedTLS's (X.509 profiles): not applied\n",
                         (unsigned)s->cert_profile);
    }
    if (ca_len > 0) {
        int format = (ca_len > 10 && memcmp(ca, "-----", 5) == 0) ? WOLFSSL_FILETYPE_PEM
                                                                  : WOLFSSL_FILETYPE_ASN1;
        int ret = wolfSSL_CTX_load_verify_buffer(ctx, ca, (long)ca_len, format);
        if (ret != WOLFSSL_SUCCESS) {
            debug_log_printf("tlsrig: ! wolfSSL_CTX_load_verify_buffer returned %d\n", ret);
            *err = ret;
            wolfSSL_CTX_free(ctx);
            return NULL;
        }
    }
    return ctx;
}

static int apply_suites(WOLFSSL *ssl, const hs_settings_t *s)
{
    static char list[HS_MAX_SUITES * 48];
    if (s->n_suites == 0) {
        return 0; /* the library's default list */
    }
    if (!wolfssl_settings_cipher_list(s->suites, s->n_suites, list, sizeof list)) {
        debug_log_printf("tlsrig: ! none of the %u suites is in this wolfSSL build\n",
                         (unsigned)s->n_suites);
        return MATCH_SUITE_ERROR;
    }
    debug_log_printf("tlsrig: cipher list %s\n", list);
    return wolfSSL_set_cipher_list(ssl, list) == WOLFSSL_SUCCESS ? 0 : MATCH_SUITE_ERROR;
}

static int apply_groups(WOLFSSL *ssl, const hs_settings_t *s)
{
    if (s->n_groups == 0) {
        return 0;
    }
#if defined(HAVE_SUPPORTED_CURVES)
    int known[HS_MAX_GROUPS];
    int n = 0;
    for (size_t i = 0; i < s->n_groups; i++) {
        /* Only groups this build has, as the mbedTLS images keep only known curves. */
        if (wolfSSL_UseSupportedCurve(ssl, s->groups[i]) == WOLFSSL_SUCCESS) {
            known[n++] = s->groups[i];
        }
    }
#if defined(WOLFSSL_TLS13)
    /* TLS 1.3: the same order for the key share. */
    if (n > 0 && wolfSSL_set_groups(ssl, known, n) != WOLFSSL_SUCCESS) {
        debug_log_printf("tlsrig: ! wolfSSL_set_groups refused the groups\n");
    }
#else
    (void)known;
#endif
    return 0;
#else
    (void)ssl;
    debug_log_printf("tlsrig: built without HAVE_SUPPORTED_CURVES: no supported_groups "
                     "extension, the %u groups are not offered\n",
                     (unsigned)s->n_groups);
    return 0;
#endif
}

int wolfssl_settings_apply(WOLFSSL *ssl, const hs_settings_t *s)
{
    int ret = apply_suites(ssl, s);
    if (ret == 0) {
        ret = apply_groups(ssl, s);
    }
    if (ret == 0 && s->n_hashes > 0) {
        debug_log_printf("tlsrig: signature hashes: wolfSSL's default list (no per-connection "
                         "API without OPENSSL_EXTRA)\n");
    }
    if (ret == 0 && s->has_sni) {
#if defined(HAVE_SNI)
        if (wolfSSL_UseSNI(ssl, WOLFSSL_SNI_HOST_NAME, s->sni, (word16)strlen(s->sni)) !=
            WOLFSSL_SUCCESS) {
            ret = BAD_FUNC_ARG;
        }
#else
        debug_log_printf("tlsrig: built without HAVE_SNI: no server_name sent for %s\n", s->sni);
#endif
        /* The certificate must name the host, SNI or not (mbedtls_ssl_set_hostname). */
        if (ret == 0 && wolfSSL_check_domain_name(ssl, s->sni) != WOLFSSL_SUCCESS) {
            ret = BAD_FUNC_ARG;
        }
    }
#if defined(HAVE_MAX_FRAGMENT)
    if (ret == 0 && s->mfl != 0 && wolfSSL_UseMaxFragment(ssl, s->mfl) != WOLFSSL_SUCCESS) {
        ret = BAD_FUNC_ARG;
    }
#endif
    return ret;
}
