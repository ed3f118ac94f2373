/* Keys and certificates from recipes, written with mbedTLS 2.28's x509write
 * API. 2.28 has no setters for subjectAltName or extKeyUsage, so those two
 * extensions are DER-encoded here with asn1write; an ECDSA signature's
 * AlgorithmIdentifiers are re-encoded per RFC 5758 (ecdsa_sig_alg.c). */
#include "cert_writer.h"

#include "ecdsa_sig_alg.h"

#include <arpa/inet.h>
#include <mbedtls/asn1write.h>
#include <mbedtls/bignum.h>
#include <mbedtls/ecp.h>
#include <mbedtls/error.h>
#include <mbedtls/oid.h>
#include <mbedtls/pem.h>
#include <mbedtls/rsa.h>
#include <mbedtls/x509_crt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FILLER_DNS_FORMAT "filler-%04u.tlsrig-test.invalid"

static int mbed_fail(char *err, size_t errlen, const char *cert, const char *what, int ret)
{
    char msg[128];
    mbedtls_strerror(ret, msg, sizeof(msg));
    snprintf(err, errlen, "certificate '%s': %s failed: -0x%04x %s", cert, what, (unsigned)-ret,
             msg);
    return -1;
}

int cert_writer_make_key(const cert_recipe_t *c, mbedtls_ctr_drbg_context *drbg,
                         mbedtls_pk_context *key, unsigned char *pem, size_t pem_len, char *err,
                         size_t errlen)
{
    int ret;
    unsigned bits = recipe_key_bits(c);
    if (recipe_key_kind(c) == RECIPE_KEY_RSA) {
        ret = mbedtls_pk_setup(key, mbedtls_pk_info_from_type(MBEDTLS_PK_RSA));
        if (ret == 0)
            ret = mbedtls_rsa_gen_key(mbedtls_pk_rsa(*key), mbedtls_ctr_drbg_random, drbg, bits,
                                      65537);
    } else {
        mbedtls_ecp_group_id grp =
            bits == 384 ? MBEDTLS_ECP_DP_SECP384R1 : MBEDTLS_ECP_DP_SECP256R1;
        ret = mbedtls_pk_setup(key, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY));
        if (ret == 0)
            ret = mbedtls_ecp_gen_key(grp, mbedtls_pk_ec(*key), mbedtls_ctr_drbg_random, drbg);
    }
    if (ret != 0)
        return mbed_fail(err, errlen, c->name, "key generation", ret);
    ret = mbedtls_pk_write_key_pem(key, pem, pem_len);
    if (ret != 0)
        return mbed_fail(err, errlen, c->name, "key PEM encoding", ret);
    return 0;
}

void cert_writer_subject(const recipe_file_t *rf, const cert_recipe_t *c, char *out, size_t len)
{
    snprintf(out, len, "CN=%s,O=%s", c->cn, rf->organization);
}

static mbedtls_md_type_t md_of(const char *hash)
{
    if (strcmp(hash, "sha1") == 0)
        return MBEDTLS_MD_SHA1;
    if (strcmp(hash, "sha384") == 0)
        return MBEDTLS_MD_SHA384;
    if (strcmp(hash, "sha512") == 0)
        return MBEDTLS_MD_SHA512;
    return MBEDTLS_MD_SHA256;
}

static unsigned key_usage_bits(const cert_recipe_t *c)
{
    static const struct {
        const char *name;
        unsigned bit;
    } map[] = {
        {"digital_signature", MBEDTLS_X509_KU_DIGITAL_SIGNATURE},
        {"non_repudiation", MBEDTLS_X509_KU_NON_REPUDIATION},
        {"key_encipherment", MBEDTLS_X509_KU_KEY_ENCIPHERMENT},
        {"data_encipherment", MBEDTLS_X509_KU_DATA_ENCIPHERMENT},
        {"key_agreement", MBEDTLS_X509_KU_KEY_AGREEMENT},
        {"key_cert_sign", MBEDTLS_X509_KU_KEY_CERT_SIGN},
        {"crl_sign", MBEDTLS_X509_KU_CRL_SIGN},
    };
    unsigned bits = 0;
    for (unsigned i = 0; i < c->key_usage_count; i++)
        for (size_t j = 0; j < sizeof(map) / sizeof(map[0]); j++)
            if (strcmp(c->key_usage[i], map[j].name) == 0)
                bits |= map[j].bit;
    return bits;
}

/* Prepend a TLV header to the `len` bytes already written before *p. */
static int wrap(unsigned char **p, unsigned char *start, size_t len, unsigned char tag,
                size_t *total)
{
    int r1 = mbedtls_asn1_write_len(p, start, len);
    if (r1 < 0)
        return r1;
    int r2 = mbedtls_asn1_write_tag(p, start, tag);
    if (r2 < 0)
        return r2;
    *total = len + (size_t)r1 + (size_t)r2;
    return 0;
}

/* GeneralNames: dNSName [2] IA5String, iPAddress [7] OCTET STRING. Written
 * back to front, so entries go in reverse to keep the recipe's order. */
static int add_san(mbedtls_x509write_cert *crt, const cert_recipe_t *c)
{
    size_t cap = 64 + (size_t)c->ip_count * 24 + (size_t)c->filler_dns * 48;
    for (unsigned i = 0; i < c->dns_count; i++)
        cap += strlen(c->dns[i]) + 8;
    unsigned char *buf = malloc(cap);
    if (!buf)
        return MBEDTLS_ERR_ASN1_ALLOC_FAILED;
    unsigned char *p = buf + cap;
    size_t len = 0;
    int ret = 0;
    for (unsigned i = c->filler_dns; i > 0 && ret >= 0; i--) {
        char name[64];
        int n = snprintf(name, sizeof(name), FILLER_DNS_FORMAT, i);
        ret = mbedtls_asn1_write_tagged_string(&p, buf, MBEDTLS_ASN1_CONTEXT_SPECIFIC | 2, name,
                                               (size_t)n);
        len += ret >= 0 ? (size_t)ret : 0;
    }
    for (unsigned i = c->ip_count; i > 0 && ret >= 0; i--) {
        unsigned char addr[16];
        size_t alen = 4;
        if (inet_pton(AF_INET, c->ip[i - 1], addr) != 1) {
            inet_pton(AF_INET6, c->ip[i - 1], addr); /* validated by the loader */
            alen = 16;
        }
        ret = mbedtls_asn1_write_tagged_string(&p, buf, MBEDTLS_ASN1_CONTEXT_SPECIFIC | 7,
                                               (const char *)addr, alen);
        len += ret >= 0 ? (size_t)ret : 0;
    }
    for (unsigned i = c->dns_count; i > 0 && ret >= 0; i--) {
        ret = mbedtls_asn1_write_tagged_string(&p, buf, MBEDTLS_ASN1_CONTEXT_SPECIFIC | 2,
                                               c->dns[i - 1], strlen(c->dns[i - 1]));
        len += ret >= 0 ? (size_t)ret : 0;
    }
    if (ret >= 0)
        ret = wrap(&p, buf, len, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE, &len);
    if (ret >= 0)
        ret = mbedtls_x509write_crt_set_extension(crt, MBEDTLS_OID_SUBJECT_ALT_NAME,
                                                  MBEDTLS_OID_SIZE(MBEDTLS_OID_SUBJECT_ALT_NAME), 0,
                                                  p, len);
    free(buf);
    return ret < 0 ? ret : 0;
}

static int add_ext_key_usage(mbedtls_x509write_cert *crt, const cert_recipe_t *c)
{
    unsigned char buf[128];
    unsigned char *p = buf + sizeof(buf);
    size_t len = 0;
    int ret = 0;
    for (unsigned i = c->ext_key_usage_count; i > 0 && ret >= 0; i--) {
        bool server = strcmp(c->ext_key_usage[i - 1], "server_auth") == 0;
        if (server)
            ret = mbedtls_asn1_write_oid(&p, buf, MBEDTLS_OID_SERVER_AUTH,
                                         MBEDTLS_OID_SIZE(MBEDTLS_OID_SERVER_AUTH));
        else
            ret = mbedtls_asn1_write_oid(&p, buf, MBEDTLS_OID_CLIENT_AUTH,
                                         MBEDTLS_OID_SIZE(MBEDTLS_OID_CLIENT_AUTH));
        len += ret >= 0 ? (size_t)ret : 0;
    }
    if (ret >= 0)
        ret = wrap(&p, buf, len, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE, &len);
    if (ret >= 0)
        ret = mbedtls_x509write_crt_set_extension(crt, MBEDTLS_OID_EXTENDED_KEY_USAGE,
                                                  MBEDTLS_OID_SIZE(MBEDTLS_OID_EXTENDED_KEY_USAGE),
                                                  0, p, len);
    return ret < 0 ? ret : 0;
}

/* Sign and write as PEM: x509write's DER, re-encoded per RFC 5758 when the
 * issuer signs with ECDSA (unless the recipe keeps the legacy NULL). */
static int sign_to_pem(mbedtls_x509write_cert *crt, const cert_recipe_t *c,
                       mbedtls_pk_context *issuer_key, mbedtls_ctr_drbg_context *drbg,
                       unsigned char *pem, size_t pem_len, const char **step)
{
    unsigned char *der = malloc(CERT_WRITER_PEM_MAX);
    unsigned char *fixed = malloc(CERT_WRITER_PEM_MAX);
    unsigned char *cert = NULL;
    size_t cert_len = 0, olen = 0;
    int ret = MBEDTLS_ERR_X509_ALLOC_FAILED;
    if (!der || !fixed)
        goto cleanup;
    ret = mbedtls_x509write_crt_der(crt, der, CERT_WRITER_PEM_MAX, mbedtls_ctr_drbg_random, drbg);
    if (ret < 0)
        goto cleanup;
    cert = der + CERT_WRITER_PEM_MAX - (size_t)ret;
    cert_len = (size_t)ret;
    if (mbedtls_pk_can_do(issuer_key, MBEDTLS_PK_ECDSA) && !recipe_legacy_null_params(c)) {
        *step = "RFC 5758 ECDSA signature encoding";
        ret = cert_sig_alg_rfc5758(cert, cert_len, issuer_key, md_of(c->hash), drbg, fixed,
                                   CERT_WRITER_PEM_MAX, &cert, &cert_len);
        if (ret != 0)
            goto cleanup;
    }
    *step = "PEM encoding";
    ret = mbedtls_pem_write_buffer("-----BEGIN CERTIFICATE-----\n", "-----END CERTIFICATE-----\n",
                                   cert, cert_len, pem, pem_len, &olen);
cleanup:
    free(der);
    free(fixed);
    return ret;
}

int cert_writer_make_cert(const recipe_file_t *rf, const cert_recipe_t *c,
                          mbedtls_pk_context *subject_key, const cert_recipe_t *issuer,
                          mbedtls_pk_context *issuer_key, const unsigned char serial[16],
                          mbedtls_ctr_drbg_context *drbg, unsigned char *pem, size_t pem_len,
                          char *err, size_t errlen)
{
    mbedtls_x509write_cert crt;
    mbedtls_mpi serial_mpi;
    mbedtls_x509write_crt_init(&crt);
    mbedtls_mpi_init(&serial_mpi);
    char subject[192], issuer_name[192], not_before[15], not_after[15];
    const char *step = "serial";
    int ret;

    cert_writer_subject(rf, c, subject, sizeof(subject));
    cert_writer_subject(rf, issuer, issuer_name, sizeof(issuer_name));
    recipe_time_to_x509(c->not_before ? c->not_before : rf->not_before, not_before);
    recipe_time_to_x509(c->not_after ? c->not_after : rf->not_after, not_after);

    mbedtls_x509write_crt_set_version(&crt, MBEDTLS_X509_CRT_VERSION_3);
    mbedtls_x509write_crt_set_md_alg(&crt, md_of(c->hash));
    mbedtls_x509write_crt_set_subject_key(&crt, subject_key);
    mbedtls_x509write_crt_set_issuer_key(&crt, issuer_key);
    ret = mbedtls_mpi_read_binary(&serial_mpi, serial, 16);
    if (ret == 0)
        ret = mbedtls_x509write_crt_set_serial(&crt, &serial_mpi);
    if (ret == 0 && (step = "validity"))
        ret = mbedtls_x509write_crt_set_validity(&crt, not_before, not_after);
    if (ret == 0 && (step = "subject name"))
        ret = mbedtls_x509write_crt_set_subject_name(&crt, subject);
    if (ret == 0 && (step = "issuer name"))
        ret = mbedtls_x509write_crt_set_issuer_name(&crt, issuer_name);
    if (ret == 0 && (step = "basic constraints"))
        ret = mbedtls_x509write_crt_set_basic_constraints(&crt, c->ca ? 1 : 0,
                                                          c->pathlen ? *c->pathlen : -1);
    if (ret == 0 && (step = "subject key identifier"))
        ret = mbedtls_x509write_crt_set_subject_key_identifier(&crt);
    if (ret == 0 && (step = "authority key identifier"))
        ret = mbedtls_x509write_crt_set_authority_key_identifier(&crt);
    if (ret == 0 && c->key_usage_count > 0 && (step = "key usage"))
        ret = mbedtls_x509write_crt_set_key_usage(&crt, key_usage_bits(c));
    if (ret == 0 && c->ext_key_usage_count > 0 && (step = "extended key usage"))
        ret = add_ext_key_usage(&crt, c);
    if (ret == 0 && (c->dns_count || c->ip_count || c->filler_dns) && (step = "subjectAltName"))
        ret = add_san(&crt, c);
    if (ret == 0 && (step = "signing"))
        ret = sign_to_pem(&crt, c, issuer_key, drbg, pem, pem_len, &step);

    mbedtls_x509write_crt_free(&crt);
    mbedtls_mpi_free(&serial_mpi);
    if (ret != 0)
        return mbed_fail(err, errlen, c->name, step, ret);
    return 0;
}
