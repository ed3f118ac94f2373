/* ECDSA signature AlgorithmIdentifiers (issue 18 wolfcert): every ECDSA-signed
 * certificate the rig writes omits the parameters after ecdsa-with-SHA* (RFC
 * 5758 3.2), in TBSCertificate.signature and Certificate.signatureAlgorithm,
 * and its signature verifies with the issuer's key; RSA signatures keep their
 * NULL (RFC 4055); the legacy-null recipe keeps mbedTLS 2.x's NULL. The DER is
 * read here with the test's own walk, not with the code under test. */
#include "certs_test_util.h"
#include "ecdsa_sig_alg.h"

#include <criterion/criterion.h>
#include <mbedtls/asn1.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/md.h>
#include <mbedtls/oid.h>
#include <mbedtls/pk.h>
#include <string.h>

#define SEQ (MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE)

/* One AlgorithmIdentifier as the test reads it. */
typedef struct {
    unsigned char oid[16];
    size_t oid_len;
    int params_tag; /* -1 absent */
    size_t params_len;
} alg_t;

static void read_alg(unsigned char **p, const unsigned char *end, alg_t *a)
{
    size_t len;
    cr_assert_eq(mbedtls_asn1_get_tag(p, end, &len, SEQ), 0, "AlgorithmIdentifier SEQUENCE");
    const unsigned char *alg_end = *p + len;
    cr_assert_eq(mbedtls_asn1_get_tag(p, alg_end, &len, MBEDTLS_ASN1_OID), 0, "algorithm OID");
    cr_assert_leq(len, sizeof(a->oid));
    memcpy(a->oid, *p, len);
    a->oid_len = len;
    *p += len;
    a->params_tag = -1;
    a->params_len = 0;
    if (*p < alg_end) {
        a->params_tag = **p;
        (*p)++;
        cr_assert_eq(mbedtls_asn1_get_len(p, alg_end, &a->params_len), 0);
        *p += a->params_len;
    }
    cr_assert_eq(*p, alg_end, "AlgorithmIdentifier has trailing bytes");
}

/* Certificate ::= SEQUENCE { tbs SEQUENCE { [0] version, serial, signature, ... },
 * signatureAlgorithm, signatureValue }: both AlgorithmIdentifiers. */
static void read_sig_algs(const mbedtls_x509_crt *crt, alg_t *tbs_alg, alg_t *outer)
{
    unsigned char *p = crt->raw.p;
    const unsigned char *end = p + crt->raw.len;
    size_t len;
    cr_assert_eq(mbedtls_asn1_get_tag(&p, end, &len, SEQ), 0);
    cr_assert_eq(mbedtls_asn1_get_tag(&p, end, &len, SEQ), 0);
    unsigned char *tbs_end = p + len;
    cr_assert_eq(mbedtls_asn1_get_tag(&p, tbs_end, &len,
                                      MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_ASN1_CONSTRUCTED),
                 0, "version");
    p += len;
    cr_assert_eq(mbedtls_asn1_get_tag(&p, tbs_end, &len, MBEDTLS_ASN1_INTEGER), 0, "serial");
    p += len;
    read_alg(&p, tbs_end, tbs_alg);
    p = tbs_end;
    read_alg(&p, end, outer);
    cr_assert_eq(mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_BIT_STRING), 0, "signature");
    cr_assert_eq(p + len, end);
}

static bool oid_is(const alg_t *a, const char *oid, size_t len)
{
    return a->oid_len == len && memcmp(a->oid, oid, len) == 0;
}

#define OID_IS(a, name) oid_is((a), name, MBEDTLS_OID_SIZE(name))

/* The signature of crt verifies with issuer_pk over crt's own TBS bytes. */
static void assert_signed_by(const mbedtls_x509_crt *crt, mbedtls_pk_context *issuer_pk,
                             const char *what)
{
    const mbedtls_md_info_t *md = mbedtls_md_info_from_type(crt->sig_md);
    cr_assert_not_null(md, "%s: signature hash", what);
    unsigned char hash[MBEDTLS_MD_MAX_SIZE];
    cr_assert_eq(mbedtls_md(md, crt->tbs.p, crt->tbs.len, hash), 0);
    int ret = mbedtls_pk_verify(issuer_pk, crt->sig_md, hash, mbedtls_md_get_size(md), crt->sig.p,
                                crt->sig.len);
    cr_assert_eq(ret, 0, "%s: signature does not verify with the issuer key: -0x%04x", what,
                 (unsigned)-ret);
}

static const char *root_path(const char *root)
{
    static char path[4096];
    char err[512];
    cr_assert_eq(
        certs_root_pem(ct_recipes(), ct_cache(), root, path, sizeof(path), err, sizeof(err)), 0,
        "%s", err);
    return path;
}

/* Every certificate of chain `name` and its root: ECDSA-signed ones carry no parameters,
 * in both places, and verify with their issuer's key (the next one, the root for the last). */
static void assert_chain_rfc5758(const char *name)
{
    cert_chain_files_t f;
    ct_ensure(name, &f);
    mbedtls_x509_crt chain, root;
    ct_parse(f.chain_pem, &chain);
    ct_parse(f.ca_pem, &root);
    unsigned ecdsa_signed = 0;
    for (mbedtls_x509_crt *c = &chain; c && c->raw.len; c = c->next) {
        alg_t tbs_alg, outer;
        read_sig_algs(c, &tbs_alg, &outer);
        cr_assert(OID_IS(&tbs_alg, MBEDTLS_OID_ECDSA_SHA256), "%s: not ecdsa-with-SHA256", name);
        cr_assert(OID_IS(&outer, MBEDTLS_OID_ECDSA_SHA256));
        cr_assert_eq(tbs_alg.params_tag, -1, "%s: TBS signature has parameters (tag 0x%02x)", name,
                     tbs_alg.params_tag);
        cr_assert_eq(outer.params_tag, -1, "%s: signatureAlgorithm has parameters (tag 0x%02x)",
                     name, outer.params_tag);
        assert_signed_by(c, c->next && c->next->raw.len ? &c->next->pk : &root.pk, name);
        ecdsa_signed++;
    }
    alg_t tbs_alg, outer;
    read_sig_algs(&root, &tbs_alg, &outer);
    cr_assert(OID_IS(&outer, MBEDTLS_OID_ECDSA_SHA256), "%s's root is ECDSA-signed", name);
    cr_assert_eq(tbs_alg.params_tag, -1, "%s root: TBS signature has parameters", name);
    cr_assert_eq(outer.params_tag, -1, "%s root: signatureAlgorithm has parameters", name);
    assert_signed_by(&root, &root.pk, "root self-signature");
    cr_assert_gt(ecdsa_signed, 0);
    mbedtls_x509_crt_free(&chain);
    mbedtls_x509_crt_free(&root);
}

Test(certs_rfc5758, ecdsa_chains_omit_parameters_and_verify)
{
    static const char *const ecdsa[] = {"ecdsa-p256", "ecdsa-p384", "gfe-ecdsa-p256"};
    for (size_t i = 0; i < sizeof(ecdsa) / sizeof(ecdsa[0]); i++)
        assert_chain_rfc5758(ecdsa[i]);
}

Test(certs_rfc5758, rsa_signatures_keep_their_null)
{
    static const char *const rsa[] = {"rsa2048", "sha1-ca"};
    for (size_t i = 0; i < sizeof(rsa) / sizeof(rsa[0]); i++) {
        cert_chain_files_t f;
        ct_ensure(rsa[i], &f);
        mbedtls_x509_crt chain, root;
        ct_parse(f.chain_pem, &chain);
        ct_parse(f.ca_pem, &root);
        for (mbedtls_x509_crt *c = &chain; c && c->raw.len; c = c->next) {
            alg_t tbs_alg, outer;
            read_sig_algs(c, &tbs_alg, &outer);
            cr_assert(OID_IS(&outer, MBEDTLS_OID_PKCS1_SHA256) ||
                          OID_IS(&outer, MBEDTLS_OID_PKCS1_SHA1),
                      "%s: RSA signature OID", rsa[i]);
            cr_assert(tbs_alg.params_tag == MBEDTLS_ASN1_NULL && tbs_alg.params_len == 0,
                      "%s: RSA TBS signature lost its NULL", rsa[i]);
            cr_assert(outer.params_tag == MBEDTLS_ASN1_NULL && outer.params_len == 0,
                      "%s: RSA signatureAlgorithm lost its NULL", rsa[i]);
            assert_signed_by(c, c->next && c->next->raw.len ? &c->next->pk : &root.pk, rsa[i]);
        }
        mbedtls_x509_crt_free(&chain);
        mbedtls_x509_crt_free(&root);
    }
}

Test(certs_rfc5758, legacy_null_recipe_keeps_the_null_and_still_verifies)
{
    cert_chain_files_t f;
    ct_ensure("ecdsa-p256-null-params", &f);
    mbedtls_x509_crt leaf;
    ct_parse(f.chain_pem, &leaf);
    alg_t tbs_alg, outer;
    read_sig_algs(&leaf, &tbs_alg, &outer);
    cr_assert(OID_IS(&outer, MBEDTLS_OID_ECDSA_SHA256));
    cr_assert(tbs_alg.params_tag == MBEDTLS_ASN1_NULL && tbs_alg.params_len == 0,
              "legacy TBS signature: tag %d", tbs_alg.params_tag);
    cr_assert(outer.params_tag == MBEDTLS_ASN1_NULL && outer.params_len == 0,
              "legacy signatureAlgorithm: tag %d", outer.params_tag);
    /* Its root is the RFC 5758 test-root-ecdsa: mbedTLS accepts the chain. */
    cr_assert_str_eq(f.ca_pem, root_path("test-root-ecdsa"));
    mbedtls_x509_crt root;
    ct_parse(f.ca_pem, &root);
    assert_signed_by(&leaf, &root.pk, "legacy leaf");
    uint32_t flags = 0;
    cr_assert_eq(mbedtls_x509_crt_verify(&leaf, &root, NULL, "localhost", &flags, NULL, NULL), 0,
                 "flags 0x%x", flags);
    mbedtls_x509_crt_free(&leaf);
    mbedtls_x509_crt_free(&root);
}

/* The re-encoder itself: the legacy DER in, the same certificate without the two NULLs out,
 * signed again; an RSA-signed certificate passes through byte for byte. */
Test(certs_rfc5758, reencoder_drops_exactly_the_two_nulls)
{
    cert_chain_files_t f;
    ct_ensure("ecdsa-p256-null-params", &f);
    mbedtls_x509_crt leaf, root;
    ct_parse(f.chain_pem, &leaf);
    ct_parse(f.ca_pem, &root);
    /* Re-signed with a fresh P-256 key: the signature must verify with it, not the root's. */
    mbedtls_pk_context issuer;
    mbedtls_pk_init(&issuer);
    mbedtls_entropy_context entropy;
    mbedtls_ctr_drbg_context drbg;
    mbedtls_entropy_init(&entropy);
    mbedtls_ctr_drbg_init(&drbg);
    cr_assert_eq(mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy, NULL, 0), 0);
    cr_assert_eq(mbedtls_pk_setup(&issuer, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)), 0);
    cr_assert_eq(mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(issuer),
                                     mbedtls_ctr_drbg_random, &drbg),
                 0);
    static unsigned char out[8192];
    unsigned char *res = NULL;
    size_t res_len = 0;
    cr_assert_eq(cert_sig_alg_rfc5758(leaf.raw.p, leaf.raw.len, &issuer, MBEDTLS_MD_SHA256, &drbg,
                                      out, sizeof(out), &res, &res_len),
                 0);
    mbedtls_x509_crt fixed;
    mbedtls_x509_crt_init(&fixed);
    cr_assert_eq(mbedtls_x509_crt_parse_der(&fixed, res, res_len), 0);
    alg_t tbs_alg, outer;
    read_sig_algs(&fixed, &tbs_alg, &outer);
    cr_assert_eq(tbs_alg.params_tag, -1);
    cr_assert_eq(outer.params_tag, -1);
    /* Same TBS but for the two bytes 05 00 (its length headers aside). */
    cr_assert_eq(fixed.tbs.len + 2, leaf.tbs.len);
    cr_assert_eq(memcmp(fixed.subject_raw.p, leaf.subject_raw.p, leaf.subject_raw.len), 0);
    cr_assert_eq(fixed.serial.len, leaf.serial.len);
    cr_assert_eq(memcmp(fixed.serial.p, leaf.serial.p, leaf.serial.len), 0);
    assert_signed_by(&fixed, &issuer, "re-encoded leaf");
    unsigned char hash[32];
    cr_assert_eq(
        mbedtls_md(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), fixed.tbs.p, fixed.tbs.len, hash),
        0);
    cr_assert_neq(
        mbedtls_pk_verify(&root.pk, MBEDTLS_MD_SHA256, hash, 32, fixed.sig.p, fixed.sig.len), 0,
        "signed by the key given, not the old issuer");

    /* The code's own reader agrees with the test's walk. */
    cert_sig_alg_t seen;
    cr_assert_eq(cert_sig_alg_read(leaf.raw.p, leaf.raw.len, &seen), 0);
    cr_assert(seen.ecdsa && seen.tbs_has_params && seen.outer_has_params && seen.same_oid);
    cr_assert_eq(cert_sig_alg_read(res, res_len, &seen), 0);
    cr_assert(seen.ecdsa && !seen.tbs_has_params && !seen.outer_has_params && seen.same_oid);

    /* RSA: unchanged. */
    cert_chain_files_t r;
    ct_ensure("rsa2048", &r);
    mbedtls_x509_crt rsa;
    ct_parse(r.chain_pem, &rsa);
    cr_assert_eq(cert_sig_alg_rfc5758(rsa.raw.p, rsa.raw.len, &issuer, MBEDTLS_MD_SHA256, &drbg,
                                      out, sizeof(out), &res, &res_len),
                 0);
    cr_assert_eq(res_len, rsa.raw.len);
    cr_assert_eq(memcmp(res, rsa.raw.p, res_len), 0);
    /* Different algorithms in the TBS and outside (RFC 5280 4.1.1.2 wants the same): refused.
     * The outer OID is the second ecdsa-with-SHA256; make it ecdsa-with-SHA384. */
    static unsigned char bent[4096];
    cr_assert_leq(leaf.raw.len, sizeof(bent));
    memcpy(bent, leaf.raw.p, leaf.raw.len);
    static const unsigned char oid256[] = {0x06, 0x08, 0x2a, 0x86, 0x48,
                                           0xce, 0x3d, 0x04, 0x03, 0x02};
    unsigned char *hit = NULL;
    for (size_t i = 0; i + sizeof(oid256) <= leaf.raw.len; i++)
        if (memcmp(bent + i, oid256, sizeof(oid256)) == 0)
            hit = bent + i;
    cr_assert_not_null(hit);
    cr_assert_gt(hit - bent, (long)leaf.tbs.len, "the last one is the outer OID");
    hit[sizeof(oid256) - 1] = 0x03;
    cr_assert_eq(cert_sig_alg_rfc5758(bent, leaf.raw.len, &issuer, MBEDTLS_MD_SHA256, &drbg, out,
                                      sizeof(out), &res, &res_len),
                 MBEDTLS_ERR_X509_SIG_MISMATCH);
    /* Not a certificate: an error, nothing written. */
    static const unsigned char junk[] = {0x30, 0x03, 0x02, 0x01, 0x00};
    cr_assert_lt(cert_sig_alg_rfc5758(junk, sizeof(junk), &issuer, MBEDTLS_MD_SHA256, &drbg, out,
                                      sizeof(out), &res, &res_len),
                 0);

    mbedtls_x509_crt_free(&rsa);
    mbedtls_x509_crt_free(&fixed);
    mbedtls_x509_crt_free(&leaf);
    mbedtls_x509_crt_free(&root);
    mbedtls_pk_free(&issuer);
    mbedtls_ctr_drbg_free(&drbg);
    mbedtls_entropy_free(&entropy);
}

/* ---- the recipe key ---- */

static const char head[] = "organization: \"tlsrig TEST ONLY - not for production\"\n"
                           "not_before: \"2024-01-01\"\n"
                           "not_after: \"2034-01-01\"\n"
                           "certificates:\n"
                           "  - name: ec-root\n    key: ec-p256\n    issuer: self\n"
                           "    hash: sha256\n    cn: ec root\n    ca: true\n"
                           "  - name: rsa-root\n    key: rsa-2048\n    issuer: self\n"
                           "    hash: sha256\n    cn: rsa root\n    ca: true\n";

/* The recipes head + leaf written to dir/file, chain "c" ensured in the cache dir. */
static int ensure_in(const char *dir, const char *file, const char *leaf, char *err, size_t errlen,
                     cert_chain_files_t *f)
{
    char text[4096];
    snprintf(text, sizeof(text), "%s%schains:\n  - name: c\n    leaf: leaf\n", head, leaf);
    const char *path = ct_write_file(dir, file, text);
    return certs_ensure(path, dir, "c", f, err, errlen);
}

static int ensure_with(const char *tag, const char *leaf, char *err, size_t errlen,
                       cert_chain_files_t *f)
{
    return ensure_in(ct_fresh_dir(tag), "recipes.yaml", leaf, err, errlen, f);
}

Test(certs_rfc5758, recipe_key_is_checked_with_file_recipe_and_key)
{
    cert_chain_files_t f;
    char err[1024] = "";
    cr_assert_neq(ensure_with("enc-rsa",
                              "  - name: leaf\n    key: ec-p256\n    issuer: rsa-root\n"
                              "    hash: sha256\n    cn: l\n    ecdsa_sig_encoding: legacy-null\n",
                              err, sizeof(err), &f),
                  0);
    cr_assert(strstr(err, "'leaf'") && strstr(err, "'ecdsa_sig_encoding'") && strstr(err, "EC key"),
              "%s", err);
    cr_assert_neq(ensure_with("enc-bad",
                              "  - name: leaf\n    key: ec-p256\n    issuer: ec-root\n"
                              "    hash: sha256\n    cn: l\n    ecdsa_sig_encoding: der-ish\n",
                              err, sizeof(err), &f),
                  0);
    cr_assert(strstr(err, "'ecdsa_sig_encoding'") && strstr(err, "der-ish"), "%s", err);
    /* The same recipe, RFC 5758 spelled out or by default, gives one file; legacy another
     * (one cache, so the keys are the same). */
    char a[4096], b[4096], dir[4096];
    snprintf(dir, sizeof(dir), "%s", ct_fresh_dir("enc-digest"));
    static const char leaf[] = "  - name: leaf\n    key: ec-p256\n    issuer: ec-root\n"
                               "    hash: sha384\n    cn: l\n";
    char with[512];
    snprintf(with, sizeof(with), "%s    ecdsa_sig_encoding: rfc5758\n", leaf);
    cr_assert_eq(ensure_in(dir, "default.yaml", leaf, err, sizeof(err), &f), 0, "%s", err);
    snprintf(a, sizeof(a), "%s", f.chain_pem);
    mbedtls_x509_crt crt;
    ct_parse(f.chain_pem, &crt);
    alg_t tbs_alg, outer;
    read_sig_algs(&crt, &tbs_alg, &outer);
    cr_assert(OID_IS(&outer, MBEDTLS_OID_ECDSA_SHA384) && outer.params_tag == -1 &&
              tbs_alg.params_tag == -1);
    mbedtls_x509_crt_free(&crt);
    cr_assert_eq(ensure_in(dir, "explicit.yaml", with, err, sizeof(err), &f), 0, "%s", err);
    snprintf(b, sizeof(b), "%s", f.chain_pem);
    cr_assert_str_eq(strrchr(a, '/'), strrchr(b, '/'), "same digest, same file name");
    snprintf(with, sizeof(with), "%s    ecdsa_sig_encoding: legacy-null\n", leaf);
    cr_assert_eq(ensure_in(dir, "legacy.yaml", with, err, sizeof(err), &f), 0, "%s", err);
    cr_assert_str_neq(strrchr(a, '/'), strrchr(f.chain_pem, '/'), "legacy: another digest");
    ct_parse(f.chain_pem, &crt);
    read_sig_algs(&crt, &tbs_alg, &outer);
    cr_assert(outer.params_tag == MBEDTLS_ASN1_NULL && tbs_alg.params_tag == MBEDTLS_ASN1_NULL);
    mbedtls_x509_crt_free(&crt);
}
