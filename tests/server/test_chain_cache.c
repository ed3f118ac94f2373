/* chain_cache_get(): a chain parsed once per process while its file is
 * unchanged, shared read-only by every server; a changed file is parsed
 * again, and a server still holding the old parse keeps it intact. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "certs_memo.h"
#include "chain_cache.h"

static char dir[512], chain[700], err[512];
static cert_chain_files_t rsa, ec;

static void copy_file(const char *from, const char *to)
{
    char cmd[4 * 1100];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s.new' && mv '%s.new' '%s'", from, to, to, to);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
}

static void setup(void)
{
    snprintf(dir, sizeof dir, "%s/chain-cache-XXXXXX",
             getenv("TLSRIG_BUILD_DIR") ? getenv("TLSRIG_BUILD_DIR") : "/tmp");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(chain, sizeof chain, "%s/chain.pem", dir);
    cr_assert_eq(certs_memo_ensure(NULL, NULL, "rsa2048", &rsa, err, sizeof err), 0, "%s", err);
    cr_assert_eq(certs_memo_ensure(NULL, NULL, "ecdsa-p256", &ec, err, sizeof err), 0, "%s", err);
    copy_file(rsa.chain_pem, chain);
    chain_cache_clear();
}

static void teardown(void)
{
    chain_cache_clear();
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_expect_eq(system(cmd), 0);
}

TestSuite(chain_cache, .init = setup, .fini = teardown);

static mbedtls_pk_type_t leaf_key(const mbedtls_x509_crt *c)
{
    return mbedtls_pk_get_type(&c->pk);
}

Test(chain_cache, unchanged_file_is_parsed_once_and_shared)
{
    mbedtls_x509_crt *a = NULL, *b = NULL;
    unsigned long before = chain_cache_parses();
    cr_assert_eq(chain_cache_get(chain, &a, err, sizeof err), 0, "%s", err);
    cr_assert_eq(chain_cache_get(chain, &b, err, sizeof err), 0, "%s", err);
    cr_expect_eq(chain_cache_parses() - before, 1);
    cr_expect_eq(a, b, "one parse, shared");
    cr_expect_eq(leaf_key(a), MBEDTLS_PK_RSA);
    cr_expect_gt(a->raw.len, 0);
    chain_cache_put(a);
    chain_cache_put(b);
}

Test(chain_cache, changed_file_is_parsed_again_and_the_held_parse_survives)
{
    mbedtls_x509_crt *old = NULL, *fresh = NULL;
    cr_assert_eq(chain_cache_get(chain, &old, err, sizeof err), 0, "%s", err);
    copy_file(ec.chain_pem, chain); /* a new inode: the cache must notice */
    unsigned long before = chain_cache_parses();
    cr_assert_eq(chain_cache_get(chain, &fresh, err, sizeof err), 0, "%s", err);
    cr_expect_eq(chain_cache_parses() - before, 1);
    cr_expect_neq(old, fresh);
    cr_expect_eq(leaf_key(fresh), MBEDTLS_PK_ECKEY);
    /* The server that held the old parse still reads it (ASan: not freed). */
    cr_expect_eq(leaf_key(old), MBEDTLS_PK_RSA);
    cr_expect_gt(old->raw.len, 0);
    chain_cache_put(old);
    chain_cache_put(fresh);
}

Test(chain_cache, missing_and_broken_files_are_errors_naming_the_file)
{
    mbedtls_x509_crt *c = (mbedtls_x509_crt *)1;
    char missing[800];
    snprintf(missing, sizeof missing, "%s/none.pem", dir);
    cr_expect_lt(chain_cache_get(missing, &c, err, sizeof err), 0);
    cr_expect_null(c);
    cr_expect_not_null(strstr(err, missing), "%s", err);

    FILE *f = fopen(chain, "w");
    cr_assert_not_null(f);
    fputs("-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n", f);
    cr_assert_eq(fclose(f), 0);
    unsigned long before = chain_cache_parses();
    cr_expect_lt(chain_cache_get(chain, &c, err, sizeof err), 0);
    cr_expect_null(c);
    cr_expect_not_null(strstr(err, "parsing chain"), "%s", err);
    /* A failed parse is not remembered: the next call tries again. */
    cr_expect_lt(chain_cache_get(chain, &c, err, sizeof err), 0);
    cr_expect_eq(chain_cache_parses() - before, 2);
}
