/* Helpers for the certs tests. */
#define _DEFAULT_SOURCE
#include "certs_test_util.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *env_dir(const char *var)
{
    const char *v = getenv(var);
    cr_assert(v && v[0], "%s is not set (run through ctest)", var);
    return v;
}

const char *ct_recipes(void)
{
    static char path[4096];
    snprintf(path, sizeof(path), "%s/fixtures/certs/recipes.yaml", env_dir("TLSRIG_SOURCE_DIR"));
    return path;
}

const char *ct_cache(void)
{
    static char path[4096];
    snprintf(path, sizeof(path), "%s/certs-test-cache", env_dir("TLSRIG_BUILD_DIR"));
    return path;
}

const char *ct_fresh_dir(const char *tag)
{
    static char path[4096];
    char cmd[8300];
    snprintf(path, sizeof(path), "%s/certs-test-tmp/%s.%ld", env_dir("TLSRIG_BUILD_DIR"), tag,
             (long)getpid());
    snprintf(cmd, sizeof(cmd), "rm -rf '%s' && mkdir -p '%s'", path, path);
    cr_assert_eq(system(cmd), 0, "cannot prepare %s", path);
    return path;
}

void ct_ensure(const char *name, cert_chain_files_t *out)
{
    char err[1024] = "";
    int rc = certs_ensure(ct_recipes(), ct_cache(), name, out, err, sizeof(err));
    cr_assert_eq(rc, 0, "certs_ensure(%s): %s", name, err);
}

void ct_parse(const char *path, mbedtls_x509_crt *crt)
{
    mbedtls_x509_crt_init(crt);
    int ret = mbedtls_x509_crt_parse_file(crt, path);
    cr_assert_eq(ret, 0, "parse %s: -0x%04x", path, (unsigned)-ret);
}

const char *ct_write_file(const char *dir, const char *name, const char *text)
{
    static char path[4200];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
    return path;
}

const char *ct_edited_recipes(const char *dir, const char *from, const char *to)
{
    FILE *f = fopen(ct_recipes(), "r");
    cr_assert_not_null(f);
    static char src[65536], dst[70000];
    size_t n = fread(src, 1, sizeof(src) - 1, f);
    fclose(f);
    src[n] = '\0';
    size_t w = 0, from_len = strlen(from), to_len = strlen(to);
    int replaced = 0;
    for (const char *p = src; *p;) {
        if (strncmp(p, from, from_len) == 0) {
            cr_assert_lt(w + to_len, sizeof(dst));
            memcpy(dst + w, to, to_len);
            w += to_len;
            p += from_len;
            replaced++;
        } else {
            cr_assert_lt(w + 1, sizeof(dst));
            dst[w++] = *p++;
        }
    }
    dst[w] = '\0';
    cr_assert_gt(replaced, 0, "'%s' not found in the recipes", from);
    return ct_write_file(dir, "recipes.yaml", dst);
}
