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

static int configure(const user_context_t *ctx, const user_config_t *c, const char *tree,
                     const char *log_path, char *err, size_t errlen)
{
    char src[4200], cc[4200], bt[200], root[4200], header[4600], name[100], stack[100], stacks[100],
        m28[4200], m36[4200], san[64], cache[4200];
    snprintf(src, sizeof src, "%s/target/userconfig", ctx->root);
    snprintf(cc, sizeof cc, "-DCMAKE_C_COMPILER=%s", ctx->cc);
    snprintf(bt, sizeof bt, "-DCMAKE_BUILD_TYPE=%s",
             ctx->build_type[0] ? ctx->build_type : "RelWithDebInfo");
    snprintf(root, sizeof root, "-DTLSRIG_ROOT=%s", ctx->root);
    snprintf(header, sizeof header, "-DTLSRIG_USER_CONFIG=%s/" HEADER_COPY, tree);
    snprintf(name, sizeof name, "-DTLSRIG_USER_CONFIG_NAME=%s", c->name);
    snprintf(stack, sizeof stack, "-DTLSRIG_USER_STACK=%s", c->stack);
    bool m36_needed = strcmp(c->stack, "mbedtls-3.6") == 0;
    snprintf(stacks, sizeof stacks, "-DTLSRIG_STACKS=%s",
             m36_needed ? "mbedtls-2.28;mbedtls-3.6" : "mbedtls-2.28");
    snprintf(m28, sizeof m28, "-DMBEDTLS_SOURCE_DIR=%s", ctx->source_dir[0]);
    snprintf(m36, sizeof m36, "-DMBEDTLS36_SOURCE_DIR=%s", ctx->source_dir[1]);
    snprintf(san, sizeof san, "-DTLSRIG_SANITIZE=%s", ctx->sanitize ? "ON" : "OFF");
    snprintf(cache, sizeof cache, "-DTLSRIG_CACHE_DIR=%s", ctx->cache_dir);
    char *argv[] = {"cmake", "-S",  src,    "-B", (char *)tree, cc,  bt,    root, header,
                    name,    stack, stacks, m28,  m36,          san, cache, NULL};
    char why[600];
    if (command_run(argv, 600000, log_path, why, sizeof why) != 0) {
        snprintf(err, errlen, "configuring the image build for %s failed: %s (see %s)", c->path,
                 why, log_path);
        return -1;
    }
    return 0;
}

int user_build_prepare(const user_context_t *ctx, const user_config_t *c, const char *log_path,
                       user_build_t *b, char *err, size_t errlen)
{
    char base[4200], lock[4500], copy[4600], cache[4600];
    memset(b, 0, sizeof *b);
    b->lock_fd = -1;
    snprintf(base, sizeof base, "%s/userconfig", ctx->build_dir);
    snprintf(b->tree, sizeof b->tree, "%s/%s-%s", base, c->stack, c->name);
    snprintf(lock, sizeof lock, "%s.lock", b->tree);
    snprintf(copy, sizeof copy, "%s/" HEADER_COPY, b->tree);
    snprintf(cache, sizeof cache, "%s/CMakeCache.txt", b->tree);
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
    if (access(cache, F_OK) != 0 && configure(ctx, c, b->tree, log_path, err, errlen) != 0) {
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
