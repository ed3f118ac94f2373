/* ECDSA signature AlgorithmIdentifiers as RFC 5758 section 3.2 wants them: the
 * ecdsa-with-SHA* OID alone, no parameters. mbedTLS 2.28's x509write always
 * writes a NULL parameter after the signature OID (mbedtls_x509_write_sig and
 * mbedtls_asn1_write_algorithm_identifier with par_len 0) and has no option to
 * leave it out (3.x does leave it out); wolfSSL 5.7.2 refuses such a
 * certificate (ASN_PARSE_E). Hand-written because no Debian-packaged library
 * on the host writes it: this re-encodes the DER x509write produced and signs
 * the new TBSCertificate again. Internal to tlsrig_certs. */
#ifndef TLSRIG_CERTS_ECDSA_SIG_ALG_H
#define TLSRIG_CERTS_ECDSA_SIG_ALG_H

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/md.h>
#include <mbedtls/pk.h>
#include <stdbool.h>
#include <stddef.h>

/* The two AlgorithmIdentifiers of a Certificate's signature, as found. */
typedef struct cert_sig_alg {
    bool ecdsa;               /* the OID is under 1.2.840.10045.4 (ecdsa-with-*) */
    bool tbs_has_params;      /* TBSCertificate.signature has a parameters field */
    bool outer_has_params;    /* Certificate.signatureAlgorithm has one */
    bool same_oid;            /* both name the same algorithm */
    const unsigned char *tbs; /* the TBSCertificate, header included */
    size_t tbs_len;
    const unsigned char *sig; /* the signature BIT STRING's bytes (after "unused bits") */
    size_t sig_len;
} cert_sig_alg_t;

/* Walk a DER Certificate down to its two signature AlgorithmIdentifiers.
 * 0 ok, or a negative mbedTLS ASN.1 error when der is not a Certificate. */
int cert_sig_alg_read(const unsigned char *der, size_t der_len, cert_sig_alg_t *out);

/* Re-encode der (an ECDSA-signed Certificate with parameters after its
 * signature OIDs) without them, in both AlgorithmIdentifiers; sign the new
 * TBSCertificate with issuer_key and md; write the Certificate at the end of
 * out[out_cap] and return its start in *result and length in *result_len.
 * A certificate that is not ECDSA-signed, or has no parameters, is copied
 * unchanged. 0 ok, or a negative mbedTLS error (MBEDTLS_ERR_X509_SIG_MISMATCH
 * when the two AlgorithmIdentifiers name different algorithms). */
int cert_sig_alg_rfc5758(const unsigned char *der, size_t der_len, mbedtls_pk_context *issuer_key,
                         mbedtls_md_type_t md, mbedtls_ctr_drbg_context *drbg, unsigned char *out,
                         size_t out_cap, unsigned char **result, size_t *result_len);

#endif
