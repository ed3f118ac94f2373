#include "debug_log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "agent.h"
#include "proto.h"

/* Lines are batched into one LOG frame: a debug level 4 handshake prints
 * thousands of short lines, and one frame per line would triple the bytes. */
static char g_buf[LINK_MAX_PAYLOAD];
static size_t g_len;

/* Which streams a handshake asked for (T_LOG_FORMAT): text frames, compact
 * records, or both (a test mode: the host checks one against the other from
 * the same execution). While a wrapper emits records, text is paused; while
 * it then runs the text path for the same call, records are paused. */
static bool g_text_on = true;
static bool g_records_on;
static bool g_text_paused;
static bool g_records_paused;
static bool g_enc_ready;
static log_enc_t g_enc;

bool debug_log_compact_available(void)
{
#if defined(TLSRIG_LOG_COMPACT)
    return true;
#else
    return false;
#endif
}

static int send_records(void *ctx, const uint8_t *payload, size_t len)
{
    (void)ctx;
    return agent_log_message(LOG_RECORDS, payload, len);
}

void debug_log_flush(void)
{
    if (g_len > 0) {
        agent_log(g_buf, g_len);
        g_len = 0;
    }
    if (g_enc_ready) {
        log_enc_flush(&g_enc);
    }
}

void debug_log_set_format(uint8_t format)
{
    debug_log_flush();
    bool fresh = (format & LOG_FORMAT_FRESH) != 0;
    format &= 3u;
    bool records = format != 0 && debug_log_compact_available();
    g_records_on = records;
    g_text_on = !records || format == 2;
    g_text_paused = false;
    g_records_paused = false;
    if (records && fresh) {
        /* Every site defined again, under the same id each time: the
         * handshake does the same work whatever ran before (QEMU's exact
         * instruction counts). The host forgets its table too. */
        log_enc_init(&g_enc, 1u, send_records, NULL);
        g_enc_ready = true;
    } else if (records && !g_enc_ready) {
        /* Per agent session: a new epoch starts a table the host cannot
         * confuse with the last boot's. */
        log_enc_init(&g_enc, agent_session_epoch(), send_records, NULL);
        g_enc_ready = true;
    }
}

void debug_log_warm_up(void)
{
    if (!debug_log_compact_available()) {
        return;
    }
    log_msg_args_warm_up();
    /* Every agent_run (also after a soft reset): a new session's table. */
    log_enc_init(&g_enc, agent_session_epoch(), send_records, NULL);
    g_enc_ready = true;
}

bool debug_log_compact(void)
{
    return g_records_on && !g_records_paused;
}

log_enc_t *debug_log_encoder(void)
{
    return &g_enc;
}

void debug_log_on_host_message(uint8_t type)
{
    if (type == LOG_RESYNC && g_enc_ready) {
        log_enc_request_resync(&g_enc);
    }
}

void debug_log_records_begin(void)
{
    g_text_paused = true;
}

bool debug_log_records_end(void)
{
    g_text_paused = false;
    if (!g_text_on) {
        return false;
    }
    g_records_paused = true;
    return true;
}

void debug_log_shadow_end(void)
{
    g_records_paused = false;
}

static void append(const char *s, size_t n, bool recorded)
{
    if (debug_log_compact() && !recorded) {
        log_enc_text(&g_enc, s, n);
    }
    if (!g_text_on || g_text_paused) {
        return;
    }
    if (n > sizeof g_buf) {
        n = sizeof g_buf; /* a single line longer than a frame is cut */
    }
    if (g_len + n > sizeof g_buf) {
        debug_log_flush();
    }
    memcpy(g_buf + g_len, s, n);
    g_len += n;
}

/* Compact: the string as handed to us, under its call site; the host adds
 * the prefix, the 512-byte cut and the newline exactly as below. */
static bool compact_line(int level, const char *file, int line, const char *str)
{
    uint8_t body[LOG_REC_TEXT_MAX + 4u];
    log_body_t b;
    log_body_init(&b, body, sizeof body);
    size_t n = 0;
    while (n < LOG_REC_TEXT_MAX && str[n] != '\0') {
        n++; /* bytes past 511 never reach the line */
    }
    log_body_bytes(&b, str, n);
    return log_enc_site_record(&g_enc, LOG_REC_LINE, file, line, level, NULL, &b);
}

void debug_log_cb(void *ctx, int level, const char *file, int line, const char *str)
{
    (void)ctx;
    bool recorded = debug_log_compact() && compact_line(level, file, line, str);
    if (recorded && (!g_text_on || g_text_paused)) {
        return;
    }
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
    append(tmp, len, recorded);
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
    append(tmp, len, false);
}
