#include "chain_keys.h"

#include <mbedtls/ecp.h>
#include <stdio.h>

#include "certs.h"
#include "certs_memo.h"
#include "chain_cache.h"

chain_key_t server_crt_key(const mbedtls_x509_crt *crt)
{
    chain_key_t k = {false, false, 0};
    mbedtls_pk_type_t t = mbedtls_pk_get_type(&crt->pk);
    if (t == MBEDTLS_PK_RSA) {
        k.known = true;
    } else if (t == MBEDTLS_PK_ECKEY || t == MBEDTLS_PK_ECDSA) {
        const mbedtls_ecp_curve_info *ci =
            mbedtls_ecp_curve_info_from_grp_id(mbedtls_pk_ec(crt->pk)->grp.id);
        k.known = ci != NULL;
        k.ecdsa = true;
        k.curve = ci ? ci->tls_id : 0;
    }
    return k;
}

int server_chain_keys(server_profile_t *p, const char *recipes, const char *cache, char *err,
                      size_t errlen)
{
    int rc = 0;
    for (size_t i = 0; i < p->n_chains && i < PROFILE_MAX_CHAINS && rc == 0; i++) {
        cert_chain_files_t files;
        char cerr[256] = "";
        /* Through the process's cache: the run's servers (and server_warm.c) take this parse
         * instead of making their own. */
        mbedtls_x509_crt *crt = NULL;
        if (certs_memo_ensure(recipes, cache, p->chains[i], &files, cerr, sizeof cerr) != 0) {
            snprintf(err, errlen, "chain %s: %s", p->chains[i], cerr);
            rc = -1;
        } else if (chain_cache_get(files.chain_pem, &crt, cerr, sizeof cerr) != 0) {
            snprintf(err, errlen, "chain %s: %s does not parse", p->chains[i], files.chain_pem);
            rc = -1;
        } else {
            p->chain_keys[i] = server_crt_key(crt);
            if (!p->chain_keys[i].known) {
                snprintf(err, errlen, "chain %s: leaf key is neither RSA nor a known EC curve",
                         p->chains[i]);
                rc = -1;
            }
        }
        chain_cache_put(crt);
    }
    return rc;
}
