/* TEMPORARY stand-ins for the other helpers' code (minimal, for my tests). */
#include <mbedtls/certs.h>
#include <stdio.h>
#include <sys/stat.h>
#include <string.h>

#include "certs.h"
#include "policy.h"

int clienthello_need(const uint8_t *b, size_t len)
{
    if (len < 5)
        return (int)(5 - len);
    if (b[0] != 22)
        return -1;
    size_t rl = (size_t)b[3] << 8 | b[4];
    if (rl < 4)
        return -1;
    if (len < 9)
        return (int)(9 - len);
    if (b[5] != 1)
        return -1;
    size_t hl = (size_t)b[6] << 16 | (size_t)b[7] << 8 | b[8];
    if (hl + 4 > rl)
        return -1; /* stand-in: single record only */
    return len >= 5 + rl ? 0 : (int)(5 + rl - len);
}

int clienthello_parse(const uint8_t *b, size_t len, clienthello_t *ch, char *err, size_t errlen)
{
    if (clienthello_need(b, len) != 0 || len < 5 + 4 + 2 + 32 + 1) {
        snprintf(err, errlen, "bad");
        return -1;
    }
    ch->version = (uint16_t)(b[9] << 8 | b[10]);
    size_t off = 5 + 4 + 2 + 32;
    off += 1 + b[off];
    if (off + 2 > len) {
        snprintf(err, errlen, "bad suites");
        return -1;
    }
    ch->n_suites = ((size_t)b[off] << 8 | b[off + 1]) / 2;
    if (ch->n_suites == 0) {
        snprintf(err, errlen, "zero suites");
        return -1;
    }
    return 0;
}

json_t *clienthello_to_json(const clienthello_t *ch)
{
    return json_pack("{s:i, s:i}", "version", ch->version, "n_suites", (int)ch->n_suites);
}

int policy_decide(const server_profile_t *p, const clienthello_t *ch, policy_decision_t *out)
{
    (void)ch;
    memset(out, 0, sizeof *out);
    if (p->n_sni_allow > 0) {
        out->reaction = p->on_sni_missing;
        snprintf(out->reason, sizeof out->reason, "stand-in: SNI");
    }
    return 0;
}

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

#include "profile_load.h"

int profile_load(const char *dir, const char *name, server_profile_t *p, char *err, size_t errlen)
{
    (void)dir;
    if (strcmp(name, "default") != 0) {
        snprintf(err, errlen, "stand-in: unknown profile %s", name);
        return -1;
    }
    memset(p, 0, sizeof *p);
    snprintf(p->name, sizeof p->name, "default");
    return 0;
}
