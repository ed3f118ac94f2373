/* RFC 5758 3.2 ECDSA signature AlgorithmIdentifiers (no parameters) for the
 * certificates mbedTLS 2.28's x509write writes with a NULL parameter: walk
 * the Certificate, rebuild the TBSCertificate without the NULL, sign it again
 * with the issuer key, assemble the Certificate with asn1write. */
#include "ecdsa_sig_alg.h"

#include <mbedtls/asn1.h>
#include <mbedtls/asn1write.h>
#include <mbedtls/oid.h>
#include <mbedtls/x509.h>
#include <stdlib.h>
#include <string.h>

#define SEQ (MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE)

/* Where the parts of a Certificate lie in its DER. */
typedef struct walk {
    const unsigned char *tbs, *tbs_body, *tbs_end; /* TBS header, contents, end */
    const unsigned char *alg_start, *alg_end;      /* TBSCertificate.signature */
    mbedtls_asn1_buf tbs_oid, tbs_params, oid, params;
    mbedtls_asn1_bitstring sig;
} walk_t;

static bool is_ecdsa_oid(const mbedtls_asn1_buf *oid)
{
    static const char prefix[] = MBEDTLS_OID_ANSI_X9_62_SIG; /* 1.2.840.10045.4 */
    size_t n = sizeof(prefix) - 1;
    return oid->len > n && memcmp(oid->p, prefix, n) == 0;
}

static bool same_buf(const mbedtls_asn1_buf *a, const mbedtls_asn1_buf *b)
{
    return a->len == b->len && memcmp(a->p, b->p, a->len) == 0;
}

/* mbedTLS's getters take a non-const cursor; they only read through it. */
static int walk_cert(const unsigned char *der, size_t der_len, walk_t *w)
{
    unsigned char *p = (unsigned char *)der;
    const unsigned char *end = der + der_len;
    size_t len;
    memset(w, 0, sizeof(*w));
    int ret = mbedtls_asn1_get_tag(&p, end, &len, SEQ);
    if (ret != 0)
        return ret;
    if (p + len != end)
        return MBEDTLS_ERR_ASN1_LENGTH_MISMATCH;
    w->tbs = p;
    if ((ret = mbedtls_asn1_get_tag(&p, end, &len, SEQ)) != 0)
        return ret;
    w->tbs_body = p;
    w->tbs_end = p + len;
    /* version [0] EXPLICIT (optional), serialNumber, then signature. */
    ret = mbedtls_asn1_get_tag(&p, w->tbs_end, &len,
                               MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_ASN1_CONSTRUCTED | 0);
    if (ret == 0)
        p += len;
    else if (ret != MBEDTLS_ERR_ASN1_UNEXPECTED_TAG)
        return ret;
    if ((ret = mbedtls_asn1_get_tag(&p, w->tbs_end, &len, MBEDTLS_ASN1_INTEGER)) != 0)
        return ret;
    p += len;
    w->alg_start = p;
    if ((ret = mbedtls_asn1_get_alg(&p, w->tbs_end, &w->tbs_oid, &w->tbs_params)) != 0)
        return ret;
    w->alg_end = p;
    p = (unsigned char *)w->tbs_end;
    if ((ret = mbedtls_asn1_get_alg(&p, end, &w->oid, &w->params)) != 0)
        return ret;
    if ((ret = mbedtls_asn1_get_bitstring(&p, end, &w->sig)) != 0)
        return ret;
    return p == end ? 0 : MBEDTLS_ERR_ASN1_LENGTH_MISMATCH;
}

int cert_sig_alg_read(const unsigned char *der, size_t der_len, cert_sig_alg_t *out)
{
    walk_t w;
    memset(out, 0, sizeof(*out));
    int ret = walk_cert(der, der_len, &w);
    if (ret != 0)
        return ret;
    /* mbedtls_asn1_get_alg leaves tag 0 when the parameters are absent. */
    out->ecdsa = is_ecdsa_oid(&w.oid) && is_ecdsa_oid(&w.tbs_oid);
    out->tbs_has_params = w.tbs_params.tag != 0;
    out->outer_has_params = w.params.tag != 0;
    out->same_oid = same_buf(&w.tbs_oid, &w.oid);
    out->tbs = w.tbs;
    out->tbs_len = (size_t)(w.tbs_end - w.tbs);
    out->sig = w.sig.p;
    out->sig_len = w.sig.len;
    return 0;
}

/* AlgorithmIdentifier ::= SEQUENCE { algorithm OID } with no parameters:
 * mbedtls_asn1_write_algorithm_identifier writes a NULL when par_len is 0. */
static int write_alg_oid_only(unsigned char **p, unsigned char *start, const mbedtls_asn1_buf *oid)
{
    int r = mbedtls_asn1_write_oid(p, start, (const char *)oid->p, oid->len);
    if (r < 0)
        return r;
    size_t len = (size_t)r;
    if ((r = mbedtls_asn1_write_len(p, start, len)) < 0)
        return r;
    len += (size_t)r;
    if ((r = mbedtls_asn1_write_tag(p, start, SEQ)) < 0)
        return r;
    return (int)(len + (size_t)r);
}

/* Each asn1write call returns bytes written or a negative error. */
#define ADD(call)                                                                                  \
    do {                                                                                           \
        int r_ = (call);                                                                           \
        if (r_ < 0) {                                                                              \
            ret = r_;                                                                              \
            goto cleanup;                                                                          \
        }                                                                                          \
        len += (size_t)r_;                                                                         \
    } while (0)

int cert_sig_alg_rfc5758(const unsigned char *der, size_t der_len, mbedtls_pk_context *issuer_key,
                         mbedtls_md_type_t md, mbedtls_ctr_drbg_context *drbg, unsigned char *out,
                         size_t out_cap, unsigned char **result, size_t *result_len)
{
    walk_t w;
    unsigned char *tbs_buf = NULL;
    unsigned char sig[MBEDTLS_PK_SIGNATURE_MAX_SIZE];
    unsigned char hash[MBEDTLS_MD_MAX_SIZE];
    size_t len = 0, sig_len = 0, tbs_len = 0;
    unsigned char *p = out + out_cap, *t = NULL;
    const mbedtls_md_info_t *info = mbedtls_md_info_from_type(md);
    int ret = walk_cert(der, der_len, &w);
    if (ret != 0)
        goto cleanup;
    if (!same_buf(&w.tbs_oid, &w.oid)) {
        ret = MBEDTLS_ERR_X509_SIG_MISMATCH; /* RFC 5280 4.1.1.2: both must be the same */
        goto cleanup;
    }
    if (!is_ecdsa_oid(&w.oid) || (w.params.tag == 0 && w.tbs_params.tag == 0)) {
        ADD(mbedtls_asn1_write_raw_buffer(&p, out, der, der_len)); /* nothing to change */
        goto done;
    }
    if (!info || !mbedtls_pk_can_do(issuer_key, MBEDTLS_PK_ECDSA)) {
        ret = MBEDTLS_ERR_PK_TYPE_MISMATCH;
        goto cleanup;
    }

    /* TBSCertificate: everything as written, its signature field without parameters. */
    tbs_buf = malloc((size_t)(w.tbs_end - w.tbs)); /* the new TBS is shorter */
    if (!tbs_buf) {
        ret = MBEDTLS_ERR_ASN1_ALLOC_FAILED;
        goto cleanup;
    }
    t = tbs_buf + (w.tbs_end - w.tbs);
    ADD(mbedtls_asn1_write_raw_buffer(&t, tbs_buf, w.alg_end, (size_t)(w.tbs_end - w.alg_end)));
    ADD(write_alg_oid_only(&t, tbs_buf, &w.tbs_oid));
    ADD(mbedtls_asn1_write_raw_buffer(&t, tbs_buf, w.tbs_body, (size_t)(w.alg_start - w.tbs_body)));
    ADD(mbedtls_asn1_write_len(&t, tbs_buf, len));
    ADD(mbedtls_asn1_write_tag(&t, tbs_buf, SEQ));
    tbs_len = len;

    /* The signature covers the new TBS: sign its hash with the issuer's key. */
    if ((ret = mbedtls_md(info, t, tbs_len, hash)) != 0 ||
        (ret = mbedtls_pk_sign(issuer_key, md, hash, mbedtls_md_get_size(info), sig, &sig_len,
                               mbedtls_ctr_drbg_random, drbg)) != 0)
        goto cleanup;

    /* Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue } */
    len = 0;
    ADD(mbedtls_asn1_write_bitstring(&p, out, sig, sig_len * 8));
    ADD(write_alg_oid_only(&p, out, &w.oid));
    ADD(mbedtls_asn1_write_raw_buffer(&p, out, t, tbs_len));
    ADD(mbedtls_asn1_write_len(&p, out, len));
    ADD(mbedtls_asn1_write_tag(&p, out, SEQ));
done:
    *result = p;
    *result_len = len;
    ret = 0;
cleanup:
    free(tbs_buf);
    mbedtls_platform_zeroize(hash, sizeof(hash));
    return ret;
}
