/* TEMPORARY stand-ins for the other helpers' code (minimal, for my tests). */
#include <mbedtls/certs.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "certs.h"

static int put(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    fwrite(data, 1, len, f);
    return fclose(f);
}

int certs_ensure(const char *recipes_path, const char *cache_dir, const char *name,
                 cert_chain_files_t *out, char *err, size_t errlen)
{
    (void)recipes_path;
    if (!cache_dir)
        cache_dir = "/tmp/tlsrig-standin-certs";
    (void)name;
    mkdir(cache_dir, 0755);
    snprintf(out->chain_pem, sizeof out->chain_pem, "%s/standin-crt.pem", cache_dir);
    snprintf(out->key_pem, sizeof out->key_pem, "%s/standin-key.pem", cache_dir);
    snprintf(out->ca_pem, sizeof out->ca_pem, "%s/standin-ca.pem", cache_dir);
    if (put(out->chain_pem, mbedtls_test_srv_crt_rsa, mbedtls_test_srv_crt_rsa_len) ||
        put(out->key_pem, mbedtls_test_srv_key_rsa, mbedtls_test_srv_key_rsa_len) ||
        put(out->ca_pem, mbedtls_test_ca_crt_rsa, mbedtls_test_ca_crt_rsa_len)) {
        snprintf(err, errlen, "stand-in: cannot write into %s", cache_dir);
        return -1;
    }
    return 0;
}
