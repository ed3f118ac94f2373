#include "debug_log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "agent.h"

/* Lines are batched into one LOG frame: a debug level 4 handshake prints
 * thousands of short lines, and one frame per line would triple the bytes. */
static char g_buf[LINK_MAX_PAYLOAD];
static size_t g_len;

void debug_log_flush(void)
{
    if (g_len > 0) {
        agent_log(g_buf, g_len);
        g_len = 0;
    }
}

static void append(const char *s, size_t n)
{
    if (n > sizeof g_buf) {
        n = sizeof g_buf; /* a single line longer than a frame is cut */
    }
    if (g_len + n > sizeof g_buf) {
        debug_log_flush();
    }
    memcpy(g_buf + g_len, s, n);
    g_len += n;
}

void debug_log_cb(void *ctx, int level, const char *file, int line, const char *str)
{
    (void)ctx;
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    char tmp[512];
    int n = snprintf(tmp, sizeof tmp, "%s:%04d: |%d| %s", base, line, level, str);
    if (n < 0) {
        return;
    }
    size_t len = (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1u;
    if (len > 0 && tmp[len - 1] != '\n') {
        tmp[len - 1] = '\n';
    }
    append(tmp, len);
}

void debug_log_printf(const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) {
        return;
    }
    size_t len = (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1u;
    append(tmp, len);
}
