#define _GNU_SOURCE
#include "user_build.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "command_run.h"
#include "file_read.h"

#define HEADER_COPY "tlsrig_user_config.h"
#define CONFIGURED "tlsrig-configured"
#define MAX_ARGS 24

/* path.tmp written and synced, then renamed over nothing: a reader never sees half a file. */
static int write_new(const char *path, const char *data, size_t len, char *err, size_t errlen)
{
    char tmp[4700];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    size_t done = 0;
    while (fd >= 0 && done < len) {
        ssize_t n = write(fd, data + done, len - done);
        if (n <= 0) {
            break;
        }
        done += (size_t)n;
    }
    if (fd < 0 || done != len || fsync(fd) != 0 || close(fd) != 0 || rename(tmp, path) != 0) {
        snprintf(err, errlen, "%s: cannot be written: %s", path, strerror(errno));
        if (fd >= 0) {
            (void)unlink(tmp);
        }
        return -1;
    }
    return 0;
}

/* The copy in an existing tree must be this very header (full digest). */
static int check_existing(const char *copy, const user_config_t *c, char *err, size_t errlen)
{
    size_t len = 0;
    char *data = file_read_all(copy, 1u << 20, &len);
    if (!data) {
        return 1; /* claimed but never written: write it now */
    }
    bool same = len == c->len && memcmp(data, c->content, len) == 0;
    free(data);
    if (!same) {
        snprintf(err, errlen,
                 "%s holds another configuration than %s (sha256 %s): it is not reused; remove "
                 "that directory",
                 copy, c->path, c->sha256);
        return -1;
    }
    return 0;
}

/* The configure command of the tree: argv (into the caller's buffers), NULL-terminated. */
typedef struct configure_args {
    char src[4200], tree[4400], cc[4200], bt[200], root[4200], header[4600], name[100], stack[100],
        stacks[100], m28[4200], m36[4200], san[64], cache[4200], toolchain[4200], arm_gcc[4200],
        baud[64], tp_debug[64], rules[64];
    char *argv[MAX_ARGS];
} configure_args_t;

static void configure_args(const user_context_t *ctx, const user_config_t *c, const user_build_t *b,
                           configure_args_t *a)
{
    snprintf(a->src, sizeof a->src, "%s/target/userconfig", ctx->root);
    snprintf(a->tree, sizeof a->tree, "%s", b->tree);
    snprintf(a->bt, sizeof a->bt, "-DCMAKE_BUILD_TYPE=%s",
             ctx->build_type[0] ? ctx->build_type : "RelWithDebInfo");
    snprintf(a->root, sizeof a->root, "-DTLSRIG_ROOT=%s", ctx->root);
    snprintf(a->header, sizeof a->header, "-DTLSRIG_USER_CONFIG=%s/" HEADER_COPY, b->tree);
    snprintf(a->name, sizeof a->name, "-DTLSRIG_USER_CONFIG_NAME=%s", c->name);
    snprintf(a->stack, sizeof a->stack, "-DTLSRIG_USER_STACK=%s", c->stack);
    bool m36_needed = strcmp(c->stack, "mbedtls-3.6") == 0;
    snprintf(a->stacks, sizeof a->stacks, "-DTLSRIG_STACKS=%s",
             m36_needed ? "mbedtls-2.28;mbedtls-3.6" : "mbedtls-2.28");
    snprintf(a->m28, sizeof a->m28, "-DMBEDTLS_SOURCE_DIR=%s", ctx->source_dir[0]);
    snprintf(a->m36, sizeof a->m36, "-DMBEDTLS36_SOURCE_DIR=%s", ctx->source_dir[1]);
    snprintf(a->cache, sizeof a->cache, "-DTLSRIG_CACHE_DIR=%s", ctx->cache_dir);
    size_t n = 0;
    char **v = a->argv;
    v[n++] = "cmake";
    v[n++] = "-S";
    v[n++] = a->src;
    v[n++] = "-B";
    v[n++] = a->tree;
    if (b->kind == USER_TREE_CM4) {
        /* The cross sub-build's toolchain, with the compiler this build found. */
        snprintf(a->toolchain, sizeof a->toolchain, "-DCMAKE_TOOLCHAIN_FILE=%s",
                 ctx->toolchain_file);
        snprintf(a->arm_gcc, sizeof a->arm_gcc, "-DTLSRIG_ARM_GCC=%s", ctx->arm_gcc);
        snprintf(a->baud, sizeof a->baud, "-DTLSRIG_NUCLEO_BAUD=%s",
                 ctx->nucleo_baud[0] ? ctx->nucleo_baud : "115200");
        v[n++] = a->toolchain;
        v[n++] = a->arm_gcc;
        v[n++] = "-DTLSRIG_USER_CM4=ON";
        v[n++] = a->baud;
    } else {
        snprintf(a->cc, sizeof a->cc, "-DCMAKE_C_COMPILER=%s", ctx->cc);
        snprintf(a->san, sizeof a->san, "-DTLSRIG_SANITIZE=%s", ctx->sanitize ? "ON" : "OFF");
        v[n++] = a->cc;
        v[n++] = a->san;
    }
    snprintf(a->tp_debug, sizeof a->tp_debug, "-DTLSRIG_THIRD_PARTY_DEBUG_INFO=%s",
             ctx->third_party_debug_info ? "ON" : "OFF");
    char *rest[] = {a->bt,     a->root, a->header, a->name,  a->stack,
                    a->stacks, a->m28,  a->m36,    a->cache, a->tp_debug};
    for (size_t i = 0; i < sizeof rest / sizeof *rest; i++) {
        v[n++] = rest[i];
    }
    if (ctx->rule_messages[0]) {
        snprintf(a->rules, sizeof a->rules, "-DCMAKE_RULE_MESSAGES=%s", ctx->rule_messages);
        v[n++] = a->rules;
    }
    v[n] = NULL;
}

/* Configured already with these very arguments? */
static bool configured_as(const char *stamp, const char *args)
{
    size_t len = 0;
    char *data = file_read_all(stamp, 1u << 16, &len);
    bool same = data && len == strlen(args) && memcmp(data, args, len) == 0;
    free(data);
    return same;
}

static int configure(const user_context_t *ctx, const user_config_t *c, const user_build_t *b,
                     const char *log_path, char *err, size_t errlen)
{
    configure_args_t a;
    char stamp[4600], args[16384], why[600];
    configure_args(ctx, c, b, &a);
    command_describe(a.argv, args, sizeof args);
    snprintf(stamp, sizeof stamp, "%s/" CONFIGURED, b->tree);
    if (configured_as(stamp, args)) {
        return 0;
    }
    (void)unlink(stamp); /* configured again below: until that succeeds, not configured */
    if (command_run(a.argv, 600000, log_path, why, sizeof why) != 0) {
        snprintf(err, errlen, "configuring the image build for %s failed: %s (see %s)", c->path,
                 why, log_path);
        return -1;
    }
    return write_new(stamp, args, strlen(args), err, errlen);
}

int user_build_prepare(const user_context_t *ctx, const user_config_t *c, user_tree_kind_t kind,
                       const char *log_path, user_build_t *b, char *err, size_t errlen)
{
    char base[4200], lock[4500], copy[4600];
    memset(b, 0, sizeof *b);
    b->lock_fd = -1;
    b->kind = kind;
    snprintf(base, sizeof base, "%s/userconfig", ctx->build_dir);
    snprintf(b->tree, sizeof b->tree, "%s/%s-%s%s", base, c->stack, c->name,
             user_target_tree_suffix(kind));
    snprintf(lock, sizeof lock, "%s.lock", b->tree);
    snprintf(copy, sizeof copy, "%s/" HEADER_COPY, b->tree);
    int rc = 3, state = 1; /* state 1: the copy must be written */
    if (mkdir(base, 0755) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "%s: %s", base, strerror(errno));
        goto cleanup;
    }
    /* Runs of the same configuration build in the same tree: one at a time. */
    b->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (b->lock_fd < 0 || flock(b->lock_fd, LOCK_EX) != 0) {
        snprintf(err, errlen, "%s: %s", lock, strerror(errno));
        goto cleanup;
    }
    if (mkdir(b->tree, 0755) != 0) {
        if (errno != EEXIST) {
            snprintf(err, errlen, "%s: %s", b->tree, strerror(errno));
            goto cleanup;
        }
        state = check_existing(copy, c, err, errlen);
        if (state < 0) {
            goto cleanup;
        }
    }
    if (state == 1 && write_new(copy, c->content, c->len, err, errlen) != 0) {
        goto cleanup;
    }
    if (configure(ctx, c, b, log_path, err, errlen) != 0) {
        goto cleanup;
    }
    rc = 0;
cleanup:
    if (rc != 0) {
        user_build_release(b);
    }
    return rc;
}

void user_build_release(user_build_t *b)
{
    if (b->lock_fd >= 0) {
        close(b->lock_fd); /* releases the flock */
        b->lock_fd = -1;
    }
}
