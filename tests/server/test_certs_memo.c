/* certs_memo_ensure(): certs_ensure() once per process and chain, while the
 * recipe file and the chain's files are as they were. A private cache and a
 * private copy of the recipe file; the EC chain keeps generation fast. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "certs_memo.h"

static char dir[512], recipes[700], cache[700];

static void setup(void)
{
    snprintf(dir, sizeof dir, "%s/certs-memo-XXXXXX",
             getenv("TLSRIG_BUILD_DIR") ? getenv("TLSRIG_BUILD_DIR") : "/tmp");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(recipes, sizeof recipes, "%s/recipes.yaml", dir);
    snprintf(cache, sizeof cache, "%s/cache", dir);
    char cmd[2000];
    snprintf(cmd, sizeof cmd, "cp '%s/fixtures/certs/recipes.yaml' '%s'",
             getenv("TLSRIG_SOURCE_DIR"), recipes);
    cr_assert_eq(system(cmd), 0);
}

static void teardown(void)
{
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_expect_eq(system(cmd), 0);
}

TestSuite(certs_memo, .init = setup, .fini = teardown);

/* Same size, inode and time, other bytes: only a remembered answer can
 * still succeed, since certs_ensure() would parse the garbage. */
static void garble_keeping_stat(const char *path)
{
    struct stat st;
    cr_assert_eq(stat(path, &st), 0);
    int fd = open(path, O_WRONLY);
    cr_assert_geq(fd, 0);
    char junk[64];
    memset(junk, '[', sizeof junk);
    cr_assert_eq(pwrite(fd, junk, sizeof junk, 0), (ssize_t)sizeof junk);
    close(fd);
    struct timespec t[2] = {st.st_atim, st.st_mtim};
    cr_assert_eq(utimensat(AT_FDCWD, path, t, 0), 0);
}

Test(certs_memo, second_call_is_remembered_while_nothing_changed)
{
    cert_chain_files_t a, b;
    char err[512];
    cr_assert_eq(certs_memo_ensure(recipes, cache, "ecdsa-p256", &a, err, sizeof err), 0, "%s",
                 err);
    garble_keeping_stat(recipes);
    cr_assert_eq(certs_memo_ensure(recipes, cache, "ecdsa-p256", &b, err, sizeof err), 0,
                 "not remembered: %s", err);
    cr_expect_str_eq(a.chain_pem, b.chain_pem);
    cr_expect_str_eq(a.key_pem, b.key_pem);
    cr_expect_str_eq(a.ca_pem, b.ca_pem);
    /* A changed recipe file is read again (and here refused). */
    struct timespec t[2] = {{.tv_sec = 1000}, {.tv_sec = 1000}};
    cr_assert_eq(utimensat(AT_FDCWD, recipes, t, 0), 0);
    cr_expect_neq(certs_memo_ensure(recipes, cache, "ecdsa-p256", &b, err, sizeof err), 0,
                  "a changed recipe file must be read again");
}

Test(certs_memo, a_file_gone_from_the_cache_is_made_again)
{
    cert_chain_files_t a, b;
    char err[512];
    cr_assert_eq(certs_memo_ensure(recipes, cache, "ecdsa-p256", &a, err, sizeof err), 0, "%s",
                 err);
    cr_assert_eq(unlink(a.key_pem), 0);
    cr_assert_eq(certs_memo_ensure(recipes, cache, "ecdsa-p256", &b, err, sizeof err), 0, "%s",
                 err);
    struct stat st;
    cr_expect_eq(stat(b.key_pem, &st), 0, "the key is there again: %s", b.key_pem);
}
