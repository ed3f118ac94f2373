/* Reading, digesting and preprocessing a user's mbedTLS configuration header. The header is
 * copied into a private temporary directory first, so the compiler checks exactly the bytes
 * that were digested (and that the image will be built from). */
#define _GNU_SOURCE
#include "config_header.h"

#include <errno.h>
#include <fcntl.h>
#include <mbedtls/sha256.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "command_run.h"
#include "file_read.h"
#include "stacks.h"

#define HEADER_MAX (1u << 20) /* mbedTLS's own full config is ~150 kB */
#define COPY_NAME "tlsrig_user_config.h"

/* Options only one of the two releases has (from their reference configs, 2.28's
 * include/mbedtls/config.h and 3.6's include/mbedtls/mbedtls_config.h): a header that sets
 * one of them was written for that release. */
static const struct {
    const char *macro;
    const char *stack; /* the only stack that knows it */
    const char *note;
} k_stack_only[] = {
    {"MBEDTLS_SSL_MAX_CONTENT_LEN", "mbedtls-2.28", "3.x split it into IN/OUT_CONTENT_LEN"},
    {"MBEDTLS_SSL_FALLBACK_SCSV", "mbedtls-2.28", "removed in 3.0 with TLS 1.0/1.1"},
    {"MBEDTLS_X509_CHECK_KEY_USAGE", "mbedtls-2.28", "always on in 3.x"},
    {"MBEDTLS_X509_CHECK_EXTENDED_KEY_USAGE", "mbedtls-2.28", "always on in 3.x"},
    {"MBEDTLS_SSL_PROTO_SSL3", "mbedtls-2.28", "removed in 3.0"},
    {"MBEDTLS_SSL_PROTO_TLS1", "mbedtls-2.28", "removed in 3.0"},
    {"MBEDTLS_SSL_PROTO_TLS1_1", "mbedtls-2.28", "removed in 3.0"},
    {"MBEDTLS_SSL_PROTO_TLS1_3_EXPERIMENTAL", "mbedtls-2.28", "3.x: MBEDTLS_SSL_PROTO_TLS1_3"},
    {"MBEDTLS_SHA512_NO_SHA384", "mbedtls-2.28", "3.x: MBEDTLS_SHA384_C"},
    {"MBEDTLS_CERTS_C", "mbedtls-2.28", "removed in 3.0"},
    {"MBEDTLS_ARC4_C", "mbedtls-2.28", "removed in 3.0"},
    {"MBEDTLS_CHECK_PARAMS", "mbedtls-2.28", "removed in 3.0"},
    {"MBEDTLS_SSL_TRUNCATED_HMAC", "mbedtls-2.28", "removed in 3.0"},
    {"MBEDTLS_ZLIB_SUPPORT", "mbedtls-2.28", "removed in 3.0"},
    {"MBEDTLS_SSL_HW_RECORD_ACCEL", "mbedtls-2.28", "removed in 3.0"},
    {"MBEDTLS_SSL_EXPORT_KEYS", "mbedtls-2.28", "3.x: mbedtls_ssl_set_export_keys_cb()"},
    {"MBEDTLS_SSL_CBC_RECORD_SPLITTING", "mbedtls-2.28", "removed in 3.0"},
    {"MBEDTLS_SSL_PROTO_TLS1_3", "mbedtls-3.6", "2.28 has only the experimental prototype"},
    {"MBEDTLS_SSL_TLS1_3_COMPATIBILITY_MODE", "mbedtls-3.6", "a TLS 1.3 option of 3.x"},
    {"MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_EPHEMERAL_ENABLED", "mbedtls-3.6", "a 3.x option"},
    {"MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK_ENABLED", "mbedtls-3.6", "a 3.x option"},
    {"MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK_EPHEMERAL_ENABLED", "mbedtls-3.6", "a 3.x option"},
    {"MBEDTLS_SHA224_C", "mbedtls-3.6", "2.28: part of MBEDTLS_SHA256_C"},
    {"MBEDTLS_SHA384_C", "mbedtls-3.6", "2.28: part of MBEDTLS_SHA512_C"},
    {"MBEDTLS_SHA3_C", "mbedtls-3.6", "new in 3.5"},
    {"MBEDTLS_SSL_EARLY_DATA", "mbedtls-3.6", "new in 3.x"},
    {"MBEDTLS_SSL_KEYING_MATERIAL_EXPORT", "mbedtls-3.6", "new in 3.6"},
    {"MBEDTLS_SSL_RECORD_SIZE_LIMIT", "mbedtls-3.6", "new in 3.x"},
    {"MBEDTLS_PKCS7_C", "mbedtls-3.6", "new in 3.x"},
    {"MBEDTLS_LMS_C", "mbedtls-3.6", "new in 3.x"},
    {"MBEDTLS_X509_REMOVE_INFO", "mbedtls-3.6", "new in 3.x"},
    {"MBEDTLS_CONFIG_VERSION", "mbedtls-3.6", "3.x's configuration version"},
};

const char *config_stack_evidence(const config_macros_t *own, const char *not_stack, char *why,
                                  size_t cap)
{
    const char *found = NULL;
    size_t used = 0;
    why[0] = '\0';
    for (size_t i = 0; i < sizeof k_stack_only / sizeof k_stack_only[0]; i++) {
        if (strcmp(k_stack_only[i].stack, not_stack) == 0 ||
            !config_macros_defined(own, k_stack_only[i].macro)) {
            continue;
        }
        found = k_stack_only[i].stack;
        if (used < cap) {
            used += (size_t)snprintf(why + used, cap - used, "%s%s (%s)", used ? ", " : "",
                                     k_stack_only[i].macro, k_stack_only[i].note);
        }
    }
    return found;
}

static void sha256_hex(const char *data, size_t len, char out[65])
{
    unsigned char d[32];
    mbedtls_sha256_ret((const unsigned char *)data, len, d, 0);
    for (int i = 0; i < 32; i++) {
        snprintf(out + 2 * i, 3, "%02x", d[i]);
    }
}

static int write_file(const char *path, const char *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        return -1;
    }
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(fd, data + done, len - done);
        if (n <= 0) {
            close(fd);
            return -1;
        }
        done += (size_t)n;
    }
    return close(fd);
}

typedef struct scratch {
    char dir[4096];
    char header[4200], own_c[4200], eff_c[4200], own_dm[4200], eff_dm[4200], log[4200];
} scratch_t;

static int scratch_make(scratch_t *s, const user_config_t *c, char *err, size_t errlen)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(s->dir, sizeof s->dir, "%s/tlsrig-config.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(s->dir)) {
        snprintf(err, errlen, "cannot create a temporary directory in %s: %s",
                 tmp && *tmp ? tmp : "/tmp", strerror(errno));
        s->dir[0] = '\0';
        return -1;
    }
    snprintf(s->header, sizeof s->header, "%s/" COPY_NAME, s->dir);
    snprintf(s->own_c, sizeof s->own_c, "%s/own.c", s->dir);
    snprintf(s->eff_c, sizeof s->eff_c, "%s/effective.c", s->dir);
    snprintf(s->own_dm, sizeof s->own_dm, "%s/own.dM", s->dir);
    snprintf(s->eff_dm, sizeof s->eff_dm, "%s/effective.dM", s->dir);
    snprintf(s->log, sizeof s->log, "%s/cc.log", s->dir);
    /* The configured headers the agent's code includes: derived options and defaults
     * (IN_CONTENT_LEN, MPI_MAX_SIZE, ..._WITH_CERT_ENABLED) come from them. */
    static const char eff[] = "#include \"mbedtls/version.h\"\n#include \"mbedtls/bignum.h\"\n"
                              "#include \"mbedtls/ssl.h\"\n#include \"mbedtls/x509_crt.h\"\n"
                              "#include \"mbedtls/debug.h\"\n#include \"mbedtls/error.h\"\n";
    static const char own[] = "#include \"" COPY_NAME "\"\n";
    if (write_file(s->header, c->content, c->len) != 0 ||
        write_file(s->own_c, own, sizeof own - 1) != 0 ||
        write_file(s->eff_c, eff, sizeof eff - 1) != 0) {
        snprintf(err, errlen, "cannot write in %s: %s", s->dir, strerror(errno));
        return -1;
    }
    return 0;
}

static void scratch_remove(scratch_t *s)
{
    if (!s->dir[0]) {
        return;
    }
    const char *files[] = {s->header, s->own_c, s->eff_c, s->own_dm, s->eff_dm, s->log};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        (void)unlink(files[i]);
    }
    (void)rmdir(s->dir);
}

/* The compiler's messages, with the scratch copy's path replaced by the user's. */
static void compiler_messages(const scratch_t *s, const char *user_path, char *out, size_t cap)
{
    size_t len = 0;
    char *text = file_read_all(s->log, 64u << 10, &len);
    out[0] = '\0';
    if (!text) {
        return;
    }
    const char *ours[][2] = {
        {s->header, user_path}, {s->own_c, "(tlsrig's check)"}, {s->eff_c, "(tlsrig's check)"}};
    size_t used = 0;
    unsigned lines = 0;
    for (char *p = text; *p && used + 1 < cap && lines < 8;) {
        bool replaced = false;
        for (size_t i = 0; i < 3 && !replaced; i++) {
            size_t n = strlen(ours[i][0]);
            if (strncmp(p, ours[i][0], n) == 0) {
                used += (size_t)snprintf(out + used, cap - used, "%s", ours[i][1]);
                p += n;
                replaced = true;
            }
        }
        if (replaced) {
            continue;
        }
        lines += *p == '\n';
        out[used++] = *p++;
        out[used] = '\0';
    }
    free(text);
}

/* cc -dM -E [-DMBEDTLS_CONFIG_FILE] -I scratch -I include TU -o dm; 0 when it preprocessed. */
static int preprocess(const config_toolchain_t *tc, const scratch_t *s, const char *include_dir,
                      bool effective, char *why, size_t cap)
{
    (void)unlink(s->log);
    char *argv[] = {(char *)tc->cc,
                    "-dM",
                    "-E",
                    "-std=c11",
                    effective ? "-DMBEDTLS_CONFIG_FILE=\"" COPY_NAME "\"" : "-DTLSRIG_OWN_MACROS",
                    "-I",
                    (char *)s->dir,
                    "-I",
                    (char *)include_dir,
                    effective ? (char *)s->eff_c : (char *)s->own_c,
                    "-o",
                    effective ? (char *)s->eff_dm : (char *)s->own_dm,
                    NULL};
    return command_run(argv, 60000, s->log, why, cap);
}

static int load_macros(const char *dm, config_macros_t *out)
{
    size_t len = 0;
    char *text = file_read_all(dm, 64u << 20, &len);
    if (!text) {
        return -1;
    }
    int rc = config_macros_parse(text, len, out);
    free(text);
    return rc;
}

static bool has_mbedtls_macro(const config_macros_t *m)
{
    for (size_t i = 0; i < m->n; i++) {
        if (strncmp(m->items[i].name, "MBEDTLS_", 8) == 0) {
            return true;
        }
    }
    return false;
}

static int read_header(const char *path, user_config_t *c, char *err, size_t errlen)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(err, errlen, "--config-file %s: %s", path, strerror(errno));
        return 2;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(err, errlen,
                 "--config-file %s: not a regular file (give an mbedTLS configuration "
                 "header, e.g. a copy of target/config/full/tlsrig_mbedtls_config.h)",
                 path);
        return 2;
    }
    c->content = file_read_all(path, HEADER_MAX, &c->len);
    if (!c->content) {
        snprintf(err, errlen, "--config-file %s: cannot read it: %s", path,
                 errno == EFBIG ? "larger than 1 MiB, not a configuration header"
                                : strerror(errno));
        return 2;
    }
    if (c->len == 0) {
        snprintf(err, errlen,
                 "--config-file %s: the file is empty, not an mbedTLS configuration "
                 "header",
                 path);
        return 2;
    }
    return 0;
}

static int stack_index(const char *stack)
{
    return strcmp(stack, stack_names[1]) == 0 ? 1 : 0;
}

/* Both preprocessing passes and the release check. */
static int check_with_compiler(const config_toolchain_t *tc, const scratch_t *s, user_config_t *c,
                               char *err, size_t errlen)
{
    int k = stack_index(c->stack), other = 1 - k;
    char why[600], msgs[1600], evidence[900];
    if (preprocess(tc, s, tc->include_dir[k], false, why, sizeof why) != 0) {
        compiler_messages(s, c->path, msgs, sizeof msgs);
        /* Written for the other release? Only when its headers take it and its own macros
         * say so: a plain error is reported as the compiler sees it here. */
        config_macros_t other_own = {0};
        const char *meant = NULL;
        if (tc->include_dir[other] && tc->include_dir[other][0] &&
            preprocess(tc, s, tc->include_dir[other], false, why, sizeof why) == 0 &&
            load_macros(s->own_dm, &other_own) == 0) {
            meant = config_stack_evidence(&other_own, c->stack, evidence, sizeof evidence);
        }
        config_macros_free(&other_own);
        if (meant) {
            snprintf(err, errlen,
                     "--config-file %s: written for %s, not %s (--stack): it sets %s; %s's "
                     "headers refuse it:\n%s\nRun with --stack %s, or translate it "
                     "(docs/stacks.md lists what 3.x renamed).",
                     c->path, meant, c->stack, evidence, c->stack, msgs, meant);
        } else {
            snprintf(err, errlen,
                     "--config-file %s: does not preprocess with %s's headers:\n%s\n(one "
                     "self-contained header: it is checked and built as a copy, so what it "
                     "#includes beside mbedTLS's own headers is not found)",
                     c->path, c->stack, msgs[0] ? msgs : why);
        }
        return 2;
    }
    if (load_macros(s->own_dm, &c->own) != 0) {
        snprintf(err, errlen, "--config-file %s: cannot read the preprocessor's output", c->path);
        return 3;
    }
    if (!has_mbedtls_macro(&c->own)) {
        snprintf(err, errlen,
                 "--config-file %s: defines no MBEDTLS_ macro: not an mbedTLS configuration header",
                 c->path);
        return 2;
    }
    const char *meant = config_stack_evidence(&c->own, c->stack, evidence, sizeof evidence);
    if (meant) {
        snprintf(err, errlen,
                 "--config-file %s: written for %s, not %s (--stack): it sets %s. Run with "
                 "--stack %s, or translate it (docs/stacks.md lists what 3.x renamed).",
                 c->path, meant, c->stack, evidence, meant);
        return 2;
    }
    if (preprocess(tc, s, tc->include_dir[k], true, why, sizeof why) != 0) {
        compiler_messages(s, c->path, msgs, sizeof msgs);
        snprintf(err, errlen,
                 "--config-file %s: mbedTLS %s's headers reject this configuration:\n%s", c->path,
                 tc->version[k] && tc->version[k][0] ? tc->version[k] : c->stack,
                 msgs[0] ? msgs : why);
        return 2;
    }
    if (load_macros(s->eff_dm, &c->effective) != 0) {
        snprintf(err, errlen, "--config-file %s: cannot read the preprocessor's output", c->path);
        return 3;
    }
    return 0;
}

int user_config_load(const char *path, const char *stack, const config_toolchain_t *tc,
                     user_config_t *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    scratch_t s = {.dir = ""};
    snprintf(out->path, sizeof out->path, "%s", path);
    out->stack = stack_canonical(stack) ? stack_canonical(stack) : STACK_DEFAULT;
    int rc = read_header(path, out, err, errlen);
    if (rc != 0) {
        goto cleanup;
    }
    sha256_hex(out->content, out->len, out->sha256);
    snprintf(out->name, sizeof out->name, CONFIG_NAME_PREFIX "%.16s", out->sha256);
    if (!tc->include_dir[stack_index(out->stack)] || !tc->include_dir[stack_index(out->stack)][0]) {
        snprintf(err, errlen,
                 "--config-file: this build has no mbedTLS source for %s (TLSRIG_STACKS, "
                 "docs/stacks.md)",
                 out->stack);
        rc = 2;
        goto cleanup;
    }
    if (scratch_make(&s, out, err, errlen) != 0) {
        rc = 3;
        goto cleanup;
    }
    rc = check_with_compiler(tc, &s, out, err, errlen);
cleanup:
    scratch_remove(&s);
    if (rc != 0) {
        user_config_free(out);
    }
    return rc;
}

void user_config_free(user_config_t *c)
{
    free(c->content);
    c->content = NULL;
    c->len = 0;
    config_macros_free(&c->own);
    config_macros_free(&c->effective);
}
