/* Every recipe's chain: generated, parseable, matching key, verifying (or
 * failing) against its root exactly as the scenario it exists for needs. */
#include "certs_test_util.h"

#include <criterion/criterion.h>
#include <mbedtls/md.h>
#include <mbedtls/oid.h>
#include <mbedtls/pk.h>
#include <mbedtls/x509.h>
#include <string.h>

static const char *const all_chains[] = {
    "rsa2048",       "rsa4096", "ecdsa-p256",    "ecdsa-p384", "sha1-ca",  "big-chain-4k",
    "big-chain-16k", "expired", "not-yet-valid", "wrong-host", "other-ca", "client",
};
#define N_CHAINS (sizeof(all_chains) / sizeof(all_chains[0]))

/* Verify chain `name` against the PEM file `ca_path` for host `cn`. */
static uint32_t verify_flags(const char *name, const char *ca_path, const char *cn,
                             const mbedtls_x509_crt_profile *profile)
{
    cert_chain_files_t f;
    ct_ensure(name, &f);
    mbedtls_x509_crt chain, ca;
    ct_parse(f.chain_pem, &chain);
    ct_parse(ca_path, &ca);
    uint32_t flags = 0;
    int ret =
        mbedtls_x509_crt_verify_with_profile(&chain, &ca, NULL, profile, cn, &flags, NULL, NULL);
    cr_assert((ret == 0) == (flags == 0), "%s: ret -0x%04x but flags 0x%x", name, (unsigned)-ret,
              flags);
    mbedtls_x509_crt_free(&chain);
    mbedtls_x509_crt_free(&ca);
    return flags;
}

static uint32_t verify_own(const char *name, const char *cn)
{
    cert_chain_files_t f;
    ct_ensure(name, &f);
    return verify_flags(name, f.ca_pem, cn, &mbedtls_x509_crt_profile_default);
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

/* Every subject and issuer on the chain and its root says TEST ONLY. */
static void assert_test_only(const char *path)
{
    mbedtls_x509_crt crt;
    ct_parse(path, &crt);
    for (const mbedtls_x509_crt *c = &crt; c && c->raw.len; c = c->next) {
        char dn[512];
        cr_assert_gt(mbedtls_x509_dn_gets(dn, sizeof(dn), &c->subject), 0);
        cr_assert_not_null(strstr(dn, "O=tlsrig TEST ONLY - not for production"), "%s: %s", path,
                           dn);
        cr_assert_gt(mbedtls_x509_dn_gets(dn, sizeof(dn), &c->issuer), 0);
        cr_assert_not_null(strstr(dn, "TEST ONLY"), "%s issuer: %s", path, dn);
    }
    mbedtls_x509_crt_free(&crt);
}

Test(certs, every_chain_generates_with_matching_key)
{
    for (size_t i = 0; i < N_CHAINS; i++) {
        cert_chain_files_t f;
        ct_ensure(all_chains[i], &f);
        cr_assert_str_eq(f.name, all_chains[i]);
        mbedtls_x509_crt chain;
        ct_parse(f.chain_pem, &chain);
        mbedtls_pk_context key;
        mbedtls_pk_init(&key);
        cr_assert_eq(mbedtls_pk_parse_keyfile(&key, f.key_pem, NULL), 0, "%s key", f.name);
        cr_assert_eq(mbedtls_pk_check_pair(&chain.pk, &key), 0, "%s: key does not match leaf",
                     f.name);
        bool is_ec = mbedtls_pk_get_type(&key) == MBEDTLS_PK_ECKEY;
        cr_assert_str_eq(f.key_type, is_ec ? "ec" : "rsa", "%s", f.name);
        cr_assert_eq(f.key_bits, mbedtls_pk_get_bitlen(&key), "%s", f.name);
        cr_assert_eq(chain.ca_istrue, 0, "%s: the leaf must not be a CA", f.name);
        mbedtls_pk_free(&key);
        mbedtls_x509_crt_free(&chain);
        assert_test_only(f.chain_pem);
        assert_test_only(f.ca_pem);
    }
}

Test(certs, key_types_and_sizes_follow_the_recipes)
{
    static const struct {
        const char *name, *type;
        unsigned bits;
    } want[] = {{"rsa2048", "rsa", 2048},
                {"rsa4096", "rsa", 4096},
                {"ecdsa-p256", "ec", 256},
                {"ecdsa-p384", "ec", 384}};
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        cert_chain_files_t f;
        ct_ensure(want[i].name, &f);
        cr_assert_str_eq(f.key_type, want[i].type, "%s", want[i].name);
        cr_assert_eq(f.key_bits, want[i].bits, "%s", want[i].name);
    }
    /* rsa4096's root is RSA-4096 too. */
    cert_chain_files_t f;
    ct_ensure("rsa4096", &f);
    mbedtls_x509_crt ca;
    ct_parse(f.ca_pem, &ca);
    cr_assert_eq(mbedtls_pk_get_bitlen(&ca.pk), 4096);
    mbedtls_x509_crt_free(&ca);
}

Test(certs, good_chains_verify_against_their_root_for_localhost)
{
    static const char *const good[] = {"rsa2048",      "rsa4096",       "ecdsa-p256", "ecdsa-p384",
                                       "big-chain-4k", "big-chain-16k", "other-ca"};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        cr_assert_eq(verify_own(good[i], "localhost"), 0, "%s", good[i]);
    cr_assert_eq(verify_own("client", NULL), 0);
}

Test(certs, chains_fail_against_an_unrelated_root)
{
    const char *other = root_path("other-root");
    static const char *const ours[] = {"rsa2048", "ecdsa-p256", "big-chain-4k", "client"};
    for (size_t i = 0; i < sizeof(ours) / sizeof(ours[0]); i++) {
        uint32_t flags = verify_flags(ours[i], other, NULL, &mbedtls_x509_crt_profile_default);
        cr_assert(flags & MBEDTLS_X509_BADCERT_NOT_TRUSTED, "%s: flags 0x%x", ours[i], flags);
    }
    /* and the other-ca chain fails against our usual root */
    uint32_t flags = verify_flags("other-ca", root_path("test-root-rsa"), "localhost",
                                  &mbedtls_x509_crt_profile_default);
    cr_assert_eq(flags, MBEDTLS_X509_BADCERT_NOT_TRUSTED, "flags 0x%x", flags);
}

Test(certs, expired_not_yet_valid_and_wrong_host_flags)
{
    cr_assert_eq(verify_own("expired", "localhost"), MBEDTLS_X509_BADCERT_EXPIRED);
    cr_assert_eq(verify_own("not-yet-valid", "localhost"), MBEDTLS_X509_BADCERT_FUTURE);
    cr_assert_eq(verify_own("wrong-host", "localhost"), MBEDTLS_X509_BADCERT_CN_MISMATCH);
    cr_assert_eq(verify_own("wrong-host", "wrong.example.test"), 0);
    /* The normal leaf does not claim the wrong host either. */
    cr_assert_eq(verify_own("rsa2048", "wrong.example.test"), MBEDTLS_X509_BADCERT_CN_MISMATCH);
}

Test(certs, validity_dates_are_fixed_not_relative_to_now)
{
    cert_chain_files_t f;
    ct_ensure("rsa2048", &f);
    mbedtls_x509_crt crt;
    ct_parse(f.chain_pem, &crt);
    cr_assert_eq(crt.valid_from.year, 2024);
    cr_assert_eq(crt.valid_from.mon, 1);
    cr_assert_eq(crt.valid_from.day, 1);
    cr_assert_eq(crt.valid_to.year, 2034);
    mbedtls_x509_crt_free(&crt);
    ct_ensure("expired", &f);
    ct_parse(f.chain_pem, &crt);
    cr_assert_eq(crt.valid_to.year, 2020);
    mbedtls_x509_crt_free(&crt);
    ct_ensure("not-yet-valid", &f);
    ct_parse(f.chain_pem, &crt);
    cr_assert_eq(crt.valid_from.year, 2035);
    mbedtls_x509_crt_free(&crt);
}

Test(certs, sha1_ca_has_a_sha1_signed_ca_in_the_path)
{
    cert_chain_files_t f;
    ct_ensure("sha1-ca", &f);
    mbedtls_x509_crt chain;
    ct_parse(f.chain_pem, &chain);
    cr_assert_eq(chain.sig_md, MBEDTLS_MD_SHA256, "the leaf itself is SHA-256");
    cr_assert_not_null(chain.next, "sha1-ca ships its intermediate");
    cr_assert_eq(chain.next->ca_istrue, 1);
    cr_assert_eq(chain.next->sig_md, MBEDTLS_MD_SHA1, "the intermediate is SHA-1 signed");
    mbedtls_x509_crt_free(&chain);
    mbedtls_x509_crt root;
    ct_parse(f.ca_pem, &root);
    cr_assert_eq(root.sig_md, MBEDTLS_MD_SHA1);
    mbedtls_x509_crt_free(&root);

    /* mbedTLS's default profile refuses the SHA-1 signature; one that allows
     * SHA-1 accepts the chain, so only the hash is at fault. */
    cr_assert_eq(verify_own("sha1-ca", "localhost"), MBEDTLS_X509_BADCERT_BAD_MD);
    mbedtls_x509_crt_profile with_sha1 = mbedtls_x509_crt_profile_default;
    with_sha1.allowed_mds |= MBEDTLS_X509_ID_FLAG(MBEDTLS_MD_SHA1);
    cr_assert_eq(verify_flags("sha1-ca", f.ca_pem, "localhost", &with_sha1), 0);
}

static size_t parsed_chain_bytes(const char *path, unsigned *count)
{
    mbedtls_x509_crt crt;
    ct_parse(path, &crt);
    size_t total = 0;
    *count = 0;
    for (const mbedtls_x509_crt *c = &crt; c && c->raw.len; c = c->next) {
        total += c->raw.len;
        (*count)++;
    }
    mbedtls_x509_crt_free(&crt);
    return total;
}

Test(certs, big_chain_sizes_are_in_range)
{
    cert_chain_files_t f;
    unsigned count;
    ct_ensure("big-chain-4k", &f);
    cr_assert_eq(parsed_chain_bytes(f.chain_pem, &count), f.chain_der_bytes);
    cr_assert_gt(f.chain_der_bytes, 4096);
    cr_assert_lt(f.chain_der_bytes, 16384);
    cr_assert_gt(count, 2, "intermediates are part of the chain file");
    cr_assert_leq(count - 1, 8, "within mbedTLS's MBEDTLS_X509_MAX_INTERMEDIATE_CA");
    ct_ensure("big-chain-16k", &f);
    cr_assert_eq(parsed_chain_bytes(f.chain_pem, &count), f.chain_der_bytes);
    cr_assert_gt(f.chain_der_bytes, 16384);
    cr_assert_leq(count - 1, 8);
}

Test(certs, chain_files_hold_leaf_and_intermediates_but_not_the_root)
{
    cert_chain_files_t f;
    unsigned count;
    ct_ensure("rsa2048", &f);
    parsed_chain_bytes(f.chain_pem, &count);
    cr_assert_eq(count, 1);
    ct_ensure("sha1-ca", &f);
    parsed_chain_bytes(f.chain_pem, &count);
    cr_assert_eq(count, 2);
}

Test(certs, leaf_names_and_usages)
{
    cert_chain_files_t f;
    ct_ensure("ecdsa-p256", &f);
    mbedtls_x509_crt crt;
    ct_parse(f.chain_pem, &crt);
    const mbedtls_x509_buf *san = &crt.subject_alt_names.buf;
    cr_assert_eq(san->len, strlen("localhost"));
    cr_assert_eq(memcmp(san->p, "localhost", san->len), 0, "the first SAN is DNS:localhost");
    cr_assert_eq(mbedtls_x509_crt_check_key_usage(&crt, MBEDTLS_X509_KU_DIGITAL_SIGNATURE), 0);
    cr_assert_eq(mbedtls_x509_crt_check_extended_key_usage(
                     &crt, MBEDTLS_OID_SERVER_AUTH, MBEDTLS_OID_SIZE(MBEDTLS_OID_SERVER_AUTH)),
                 0);
    mbedtls_x509_crt_free(&crt);
    ct_ensure("client", &f);
    ct_parse(f.chain_pem, &crt);
    cr_assert_eq(mbedtls_x509_crt_check_extended_key_usage(
                     &crt, MBEDTLS_OID_CLIENT_AUTH, MBEDTLS_OID_SIZE(MBEDTLS_OID_CLIENT_AUTH)),
                 0);
    cr_assert_neq(mbedtls_x509_crt_check_extended_key_usage(
                      &crt, MBEDTLS_OID_SERVER_AUTH, MBEDTLS_OID_SIZE(MBEDTLS_OID_SERVER_AUTH)),
                  0, "a client certificate is not a server certificate");
    mbedtls_x509_crt_free(&crt);
}
