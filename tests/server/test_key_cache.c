/* key_cache_load(): a private key parsed once per process while its file is
 * unchanged, each caller given its own copy with the RSA blinding already
 * set up, so the first signature of every copy draws the same random bytes,
 * whatever other copies did before (seeded runs compare equal). */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/sha256.h>
#include <mbedtls/x509_crt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "certs_memo.h"
#include "key_cache.h"

static char dir[512], key[700], err[512];
static cert_chain_files_t rsa, ec;

static void copy_file(const char *from, const char *to)
{
    char cmd[4 * 1100];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s.new' && mv '%s.new' '%s'", from, to, to, to);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
}

static void setup(void)
{
    snprintf(dir, sizeof dir, "%s/key-cache-XXXXXX",
             getenv("TLSRIG_BUILD_DIR") ? getenv("TLSRIG_BUILD_DIR") : "/tmp");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(key, sizeof key, "%s/key.pem", dir);
    cr_assert_eq(certs_memo_ensure(NULL, NULL, "rsa2048", &rsa, err, sizeof err), 0, "%s", err);
    cr_assert_eq(certs_memo_ensure(NULL, NULL, "ecdsa-p256", &ec, err, sizeof err), 0, "%s", err);
    copy_file(rsa.key_pem, key);
    key_cache_clear();
}

static void teardown(void)
{
    key_cache_clear();
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_expect_eq(system(cmd), 0);
}

TestSuite(key_cache, .init = setup, .fini = teardown);

/* A fixed generator: the same seed gives the same bytes. */
static int counter_entropy(void *ctx, unsigned char *out, size_t len)
{
    unsigned *n = ctx;
    for (size_t i = 0; i < len; i++)
        out[i] = (unsigned char)(*n)++;
    return 0;
}

static void seeded(mbedtls_ctr_drbg_context *drbg, unsigned *counter)
{
    *counter = 7;
    mbedtls_ctr_drbg_init(drbg);
    cr_assert_eq(mbedtls_ctr_drbg_seed(drbg, counter_entropy, counter, NULL, 0), 0);
}

/* Signs with pk, checks the signature against the chain's certificate, and
 * returns in after[] what the generator draws next: it shows how many bytes
 * the signature took. */
static void sign_and_draw(mbedtls_pk_context *pk, const char *chain, unsigned char after[32])
{
    unsigned char hash[32], sig[MBEDTLS_PK_SIGNATURE_MAX_SIZE];
    size_t sig_len = 0;
    mbedtls_sha256_ret((const unsigned char *)"tlsrig", 6, hash, 0);
    mbedtls_ctr_drbg_context drbg;
    unsigned counter;
    seeded(&drbg, &counter);
    cr_assert_eq(mbedtls_pk_sign(pk, MBEDTLS_MD_SHA256, hash, sizeof hash, sig, &sig_len,
                                 mbedtls_ctr_drbg_random, &drbg),
                 0);
    cr_assert_eq(mbedtls_ctr_drbg_random(&drbg, after, 32), 0);
    mbedtls_ctr_drbg_free(&drbg);
    mbedtls_x509_crt crt;
    mbedtls_x509_crt_init(&crt);
    cr_assert_eq(mbedtls_x509_crt_parse_file(&crt, chain), 0);
    cr_expect_eq(mbedtls_pk_verify(&crt.pk, MBEDTLS_MD_SHA256, hash, sizeof hash, sig, sig_len), 0,
                 "the copy signs as the certificate's key");
    mbedtls_x509_crt_free(&crt);
}

Test(key_cache, parsed_once_while_the_file_is_unchanged)
{
    unsigned long before = key_cache_parses();
    for (int i = 0; i < 3; i++) {
        mbedtls_pk_context pk;
        mbedtls_pk_init(&pk);
        cr_assert_eq(key_cache_load(&pk, key, true, err, sizeof err), 0, "%s", err);
        unsigned char after[32];
        sign_and_draw(&pk, rsa.chain_pem, after);
        mbedtls_pk_free(&pk);
    }
    cr_expect_eq(key_cache_parses() - before, 1, "one parse for three loads");
}

Test(key_cache, a_changed_key_file_is_parsed_again)
{
    mbedtls_pk_context pk;
    mbedtls_pk_init(&pk);
    cr_assert_eq(key_cache_load(&pk, key, true, err, sizeof err), 0, "%s", err);
    cr_assert_eq(mbedtls_pk_get_type(&pk), MBEDTLS_PK_RSA);
    mbedtls_pk_free(&pk);
    copy_file(ec.key_pem, key); /* another key under the same name */
    unsigned long before = key_cache_parses();
    mbedtls_pk_init(&pk);
    cr_assert_eq(key_cache_load(&pk, key, true, err, sizeof err), 0, "%s", err);
    cr_expect_eq(key_cache_parses() - before, 1, "the new file is parsed");
    cr_assert_eq(mbedtls_pk_get_type(&pk), MBEDTLS_PK_ECKEY, "the new key, not the remembered one");
    unsigned char after[32];
    sign_and_draw(&pk, ec.chain_pem, after);
    mbedtls_pk_free(&pk);
    /* A key file gone is an error naming it, not the remembered key. */
    cr_assert_eq(unlink(key), 0);
    mbedtls_pk_init(&pk);
    cr_expect_neq(key_cache_load(&pk, key, true, err, sizeof err), 0);
    cr_expect(strstr(err, key) != NULL, "%s", err);
    mbedtls_pk_free(&pk);
}

/* Scenario order must not change what a seeded server draws: the first
 * signature of a fresh copy takes the same random bytes whether or not
 * other copies signed before it (a shared key whose blinding is set up by
 * its first user would take more bytes the first time only). */
Test(key_cache, every_copy_starts_from_the_same_state)
{
    unsigned char first[32], again[32], later[32];
    mbedtls_pk_context a, b;
    mbedtls_pk_init(&a);
    mbedtls_pk_init(&b);
    cr_assert_eq(key_cache_load(&a, key, true, err, sizeof err), 0, "%s", err);
    sign_and_draw(&a, rsa.chain_pem, first);
    sign_and_draw(&a, rsa.chain_pem, again);
    cr_assert_eq(key_cache_load(&b, key, true, err, sizeof err), 0, "%s", err);
    sign_and_draw(&b, rsa.chain_pem, later);
    cr_expect_eq(memcmp(first, later, 32), 0, "a later copy draws as the first one did");
    cr_expect_eq(memcmp(first, again, 32), 0, "a signature draws the same bytes each time");
    mbedtls_pk_free(&a);
    mbedtls_pk_free(&b);
}

/* Outside seeded runs a copy does not inherit the cached blinding values:
 * its first signature sets up its own from the caller's generator (it draws
 * more bytes than the next one), as a freshly parsed key would. */
Test(key_cache, unseeded_copies_set_up_their_own_blinding)
{
    unsigned char first[32], again[32];
    mbedtls_pk_context a;
    mbedtls_pk_init(&a);
    cr_assert_eq(key_cache_load(&a, key, false, err, sizeof err), 0, "%s", err);
    sign_and_draw(&a, rsa.chain_pem, first);
    sign_and_draw(&a, rsa.chain_pem, again);
    cr_expect_neq(memcmp(first, again, 32), 0, "the first signature drew its own blinding");
    mbedtls_pk_free(&a);
}

/* A seeded copy carries what the first private operation would have made: the Montgomery
 * constants of P, Q and N, and a blinding pair with Vi = Vf^-e mod N (the pair is made
 * without a signature, as mbedTLS's rsa_prepare_blinding makes it). */
Test(key_cache, copies_carry_a_valid_blinding_pair_and_montgomery_constants)
{
    mbedtls_pk_context a;
    mbedtls_pk_init(&a);
    cr_assert_eq(key_cache_load(&a, key, true, err, sizeof err), 0, "%s", err);
    const mbedtls_rsa_context *r = mbedtls_pk_rsa(a);
    cr_expect_not_null(r->RP.p, "R^2 mod P");
    cr_expect_not_null(r->RQ.p, "R^2 mod Q");
    cr_expect_not_null(r->RN.p, "R^2 mod N");
    cr_assert_not_null(r->Vf.p);
    cr_assert_not_null(r->Vi.p);
    mbedtls_mpi t;
    mbedtls_mpi_init(&t);
    cr_assert_eq(mbedtls_mpi_exp_mod(&t, &r->Vf, &r->E, &r->N, NULL), 0);
    cr_assert_eq(mbedtls_mpi_mul_mpi(&t, &t, &r->Vi), 0);
    cr_assert_eq(mbedtls_mpi_mod_mpi(&t, &t, &r->N), 0);
    cr_expect_eq(mbedtls_mpi_cmp_int(&t, 1), 0, "Vf^e * Vi mod N is 1");
    cr_expect_gt(mbedtls_mpi_cmp_int(&r->Vf, 1), 0, "Vf is not 0 or 1");
    mbedtls_mpi_free(&t);
    mbedtls_pk_free(&a);
}
