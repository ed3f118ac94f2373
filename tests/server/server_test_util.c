#define _POSIX_C_SOURCE 200809L
#include "server_test_util.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

static const char *build_dir(void)
{
    const char *b = getenv("TLSRIG_BUILD_DIR");
    return b ? b : ".";
}

static const char *source_dir(void)
{
    const char *s = getenv("TLSRIG_SOURCE_DIR");
    return s ? s : ".";
}

void stu_default_profile(server_profile_t *p)
{
    memset(p, 0, sizeof *p);
    snprintf(p->name, sizeof p->name, "test-default");
    snprintf(p->chains[0], sizeof p->chains[0], "rsa2048");
    p->n_chains = 1;
    p->min_version = 0x0303;
    p->max_version = 0x0303;
    p->etm = true;
}

void stu_capture_root(const char *sub, char *out, size_t outlen)
{
    snprintf(out, outlen, "%s/server-captures/%s-%ld", build_dir(), sub, (long)getpid());
}

static tls_server_t *start_with(const server_profile_t *p, const char *capture_sub,
                                uint32_t io_timeout_ms, uint32_t silence_ms, const char *label,
                                bool streams_only)
{
    char recipes[1024], cache[1024], capture[1024], err[256] = "";
    snprintf(recipes, sizeof recipes, "%s/fixtures/certs/recipes.yaml", source_dir());
    snprintf(cache, sizeof cache, "%s/server-test-certs", build_dir());
    mkdir(cache, 0755);
    if (capture_sub)
        stu_capture_root(capture_sub, capture, sizeof capture);
    tls_server_opts_t o = {.profile = p,
                           .listen = "127.0.0.1:0",
                           .capture_dir = capture_sub ? capture : NULL,
                           .recipes_path = recipes,
                           .certs_cache = cache,
                           .debug_level = 3,
                           .io_timeout_ms = io_timeout_ms,
                           .silence_ms = silence_ms,
                           .label = label,
                           .capture_streams_only = streams_only};
    tls_server_t *s = tls_server_start(&o, err, sizeof err);
    cr_assert_not_null(s, "server start failed: %s", err);
    cr_assert_gt(tls_server_port(s), 0);
    return s;
}

tls_server_t *stu_start(const server_profile_t *p, const char *capture_sub)
{
    return start_with(p, capture_sub, 5000, 3000, NULL, false);
}

tls_server_t *stu_start_labelled(const server_profile_t *p, const char *capture_sub,
                                 const char *label, bool streams_only)
{
    return start_with(p, capture_sub, 5000, 3000, label, streams_only);
}

tls_server_t *stu_start_default_timeouts(const server_profile_t *p)
{
    return start_with(p, NULL, 0, 0, NULL, false);
}

char *stu_run(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    char full[2200];
    snprintf(full, sizeof full, "timeout 30 sh -c '%s' 2>&1", cmd);
    FILE *f = popen(full, "r");
    cr_assert_not_null(f);
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    size_t n;
    while ((n = fread(out + len, 1, cap - 1 - len, f)) > 0) {
        len += n;
        if (len == cap - 1) {
            cap *= 2;
            out = realloc(out, cap);
        }
    }
    out[len] = '\0';
    pclose(f);
    return out;
}

int stu_connect(uint16_t port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct timeval tv = {.tv_sec = 10};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

size_t stu_read_all(int fd, uint8_t *buf, size_t cap)
{
    size_t len = 0;
    while (len < cap) {
        ssize_t n = recv(fd, buf + len, cap - len, 0);
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    return len;
}

json_t *stu_view(tls_server_t *s)
{
    json_t *v = tls_server_wait_view(s, 30000);
    cr_assert_not_null(v, "no server view within 30 s");
    return v;
}
