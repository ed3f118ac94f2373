/* wolfSSL client debug output (DEBUG_WOLFSSL, the lines its logging callback receives) ->
 * the same typed events as the mbedTLS matchers. Formats as wolfSSL 5.7.2 writes them
 * (wolfcrypt/src/logging.c, src/internal.c, src/ssl.c, src/tls.c, src/tls13.c, src/wolfio.c).
 * Every pattern is anchored at the start of the message and most match the whole message:
 * a line that carries peer or application data never becomes an event by containing a
 * pattern somewhere. */
#include "logparse_internal.h"
#include "wolfssl_errors.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define ADD(type, num, num2, str, str2)                                                            \
    do {                                                                                           \
        if (!lp_add_event(r, type, ln, num, num2, str, str2))                                      \
            return -1;                                                                             \
    } while (0)

/* The message after the optional prefixes wolfSSL's default logger writes: "[PREFIX]: " (with
 * wolfSSL_SetLoggingPrefix) and "[file L 123] " (WOLFSSL_DEBUG_CODEPOINTS). */
static const char *wl_body(const char *t)
{
    if (t[0] == '[') {
        const char *close = strstr(t, "]: ");
        if (close && (size_t)(close - t) < 64 && !memchr(t, ' ', (size_t)(close - t)))
            t = close + 3;
    }
    if (t[0] == '[') {
        const char *l = strstr(t, " L ");
        const char *close = strchr(t, ']');
        if (l && close && l < close && (size_t)(close - t) < 200) {
            const char *d = l + 3;
            while (isdigit((unsigned char)*d))
                d++;
            if (d == close && close[1] == ' ')
                t = close + 2;
        }
    }
    while (*t == ' ')
        t++; /* a tab-indented message ("\tConnection reset") after a prefix */
    return t;
}

static bool starts(const char *t, const char *prefix, const char **rest)
{
    size_t n = strlen(prefix);
    if (strncmp(t, prefix, n) != 0)
        return false;
    if (rest)
        *rest = t + n;
    return true;
}

bool lp_wolfssl_shape(const char *text)
{
    const char *t = wl_body(text);
    return starts(t, "wolfSSL Entering ", NULL) || starts(t, "wolfSSL Leaving ", NULL) ||
           starts(t, "wolfSSL error occurred, error = ", NULL) ||
           starts(t, "connect state: ", NULL) || starts(t, "TLSv13 connect state: ", NULL);
}

/* The alert names of AlertTypeToString() (src/internal.c), which are the IANA names. */
static const struct {
    const char *name;
    int desc;
} alerts[] = {
    {"close_notify", 0},
    {"unexpected_message", 10},
    {"bad_record_mac", 20},
    {"record_overflow", 22},
    {"decompression_failure", 30},
    {"handshake_failure", 40},
    {"no_certificate", 41},
    {"bad_certificate", 42},
    {"unsupported_certificate", 43},
    {"certificate_revoked", 44},
    {"certificate_expired", 45},
    {"certificate_unknown", 46},
    {"illegal_parameter", 47},
    {"unknown_ca", 48},
    {"access_denied", 49},
    {"decode_error", 50},
    {"decrypt_error", 51},
    {"protocol_version", 70},
    {"insufficient_security", 71},
    {"internal_error", 80},
    {"user_canceled", 90},
    {"no_renegotiation", 100},
    {"unrecognized_name", 112},
    {"bad_certificate_status_response", 113},
    {"no_application_protocol", 120},
};

/* "<NAME> extension to write" (TLSX_Write in src/tls.c) -> IANA extension id. */
static const struct {
    const char *name;
    int id;
} extensions[] = {
    {"SNI", 0},
    {"Max Fragment Length", 1},
    {"Trusted CA Indication", 3},
    {"Truncated HMAC", 4},
    {"Certificate Status Request", 5},
    {"Supported Groups", 10},
    {"Point Formats", 11},
    {"Signature Algorithms", 13},
    {"SRTP", 14},
    {"ALPN", 16},
    {"Certificate Status Request v2", 17},
    {"Client Certificate Type", 19},
    {"Server Certificate Type", 20},
    {"Encrypt-Then-Mac", 22},
    {"EMS", 23},
    {"Session Ticket", 35},
    {"Pre-Shared Key", 41},
    {"Early Data", 42},
    {"Supported Versions", 43},
    {"Cookie", 44},
    {"PSK Key Exchange Modes", 45},
    {"Certificate Authorities", 47},
    {"Post-Handshake Authentication", 49},
    {"Key Share", 51},
    {"Connection ID", 54},
    {"Secure Renegotiation", 0xff01},
    {"ECH", 0xfe0d},
    {"CKS", -1},
};

/* "processing <message>" (DoHandShakeMsgType, DoTls13HandShakeMsgType) -> handshake type. */
static const struct {
    const char *name;
    int type;
} messages[] = {
    {"hello request", 0},       {"server hello", 2},         {"hello verify request", 3},
    {"session ticket", 4},      {"new session ticket", 4},   {"encrypted extensions", 8},
    {"certificate", 11},        {"server key exchange", 12}, {"certificate request", 13},
    {"server hello done", 14},  {"certificate verify", 15},  {"finished", 20},
    {"certificate status", 22}, {"key update", 24},
};

/* Whole-message socket outcomes of src/wolfio.c -> the note keys of logparse_notes.c. */
static const struct {
    const char *text;
    const char *key;
} socket_notes[] = {
    {"Connection reset", "conn-reset"},   {"Broken pipe", "conn-reset"},
    {"Connection aborted", "conn-reset"}, {"Embed receive connection closed", "conn-eof"},
    {"Socket timeout", "timeout"},
};

/* The functions whose successful return ends the client handshake. */
static bool is_connect_function(const char *fn, size_t n)
{
    static const char *const names[] = {"wolfSSL_connect", "wolfSSL_connect_TLSv13"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strlen(names[i]) == n && strncmp(fn, names[i], n) == 0)
            return true;
    }
    return false;
}

/* "wolfSSL Leaving FUNC, return N" */
static int match_leaving(logparse_result_t *r, const lp_line_t *ln, const char *rest)
{
    const char *sep = strstr(rest, ", return ");
    long long v;
    const char *end;
    if (!sep || !lp_parse_int(sep + 9, &v, &end) || *end != '\0')
        return 0;
    char fn[96];
    size_t n = (size_t)(sep - rest);
    if (n == 0 || n >= sizeof fn)
        return 0;
    memcpy(fn, rest, n);
    fn[n] = '\0';
    if (n > 2 && strcmp(fn + n - 2, "()") == 0)
        fn[n -= 2] = '\0'; /* "DoHandShakeMsgType()" */
    if (is_connect_function(fn, n) && v == 1 && !r->wl.done) {
        r->wl.done = true;
        ADD(LP_EV_HANDSHAKE_DONE, 0, 0, NULL, NULL);
    } else if (v <= -100 && v >= -999) {
        ADD(LP_EV_RETURN, v, 0, fn, wolfssl_error_name((int)v));
    }
    return 1;
}

/* "wolfSSL error occurred, error = N" or, with an error queue, "... = |N| line:L file:F". */
static int match_error(logparse_result_t *r, const lp_line_t *ln, const char *rest)
{
    long long v;
    const char *end;
    if (!lp_parse_int(rest, &v, &end))
        return 0;
    if (*end != '\0' && strncmp(end, " line:", 6) != 0)
        return 0;
    if (*end == ' ' && v >= 100)
        v = -v; /* the error queue logs the absolute value */
    /* Small positive numbers are the alert description DoAlert() passes to WOLFSSL_ERROR. */
    if (v > -100 || v < -999)
        return 1;
    ADD(LP_EV_RETURN, v, 0, "wolfSSL error", wolfssl_error_name((int)v));
    r->wl.last_error = v;
    r->wl.last_error_ev = r->n_events - 1;
    r->wl.have_error = true;
    return 1;
}

static int match_alert(logparse_result_t *r, const lp_line_t *ln, const char *t)
{
    const char *rest, *end;
    long long v;
    if (starts(t, "Alert type: ", &rest)) {
        for (size_t i = 0; i < sizeof alerts / sizeof alerts[0]; i++) {
            if (strcmp(rest, alerts[i].name) == 0) {
                /* wolfSSL logs the description only; the level is inferred (docs). */
                ADD(LP_EV_ALERT_RECEIVED, alerts[i].desc == 0 ? 1 : 2, alerts[i].desc, NULL, NULL);
                return 1;
            }
        }
        return 1;
    }
    if (starts(t, "SendAlert: ", &rest) && lp_parse_int(rest, &v, &end) && v >= 0 && v <= 255 &&
        (*end == ' ' || *end == '\0')) {
        ADD(LP_EV_ALERT_SENT, v == 0 ? 1 : 2, v, NULL, NULL);
        return 1;
    }
    return 0;
}

static int match_state(logparse_result_t *r, const lp_line_t *ln, const char *t)
{
    const char *rest;
    if (!starts(t, "connect state: ", &rest) && !starts(t, "TLSv13 connect state: ", &rest))
        return 0;
    char name[48];
    size_t n = strspn(rest, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789");
    /* Only the state names ("CLIENT_HELLO_SENT"), not the buffering remarks. */
    if (n == 0 || n >= sizeof name || rest[n] != '\0')
        return 1;
    memcpy(name, rest, n);
    name[n] = '\0';
    ADD(LP_EV_STATE, -1, 0, name, NULL);
    return 1;
}

static int match_message(logparse_result_t *r, const lp_line_t *ln, const char *t)
{
    const char *rest;
    if (starts(t, "processing ", &rest)) {
        for (size_t i = 0; i < sizeof messages / sizeof messages[0]; i++) {
            if (strcmp(rest, messages[i].name) == 0) {
                if (messages[i].type == 2)
                    r->wl.server_hello = true;
                ADD(LP_EV_HS_MESSAGE, messages[i].type, -1, NULL, NULL);
                return 1;
            }
        }
        return 0;
    }
    size_t len = strlen(t);
    static const char suffix[] = " extension to write";
    size_t sl = sizeof suffix - 1;
    if (len > sl && strcmp(t + len - sl, suffix) == 0) {
        /* Extensions after the ServerHello belong to later messages, not to the hello. */
        if (r->wl.server_hello)
            return 1;
        for (size_t i = 0; i < sizeof extensions / sizeof extensions[0]; i++) {
            size_t n = strlen(extensions[i].name);
            if (n == len - sl && strncmp(t, extensions[i].name, n) == 0) {
                const char *name = extensions[i].id >= 0 ? logparse_extension_name(extensions[i].id)
                                                         : extensions[i].name;
                ADD(LP_EV_EXT_OFFERED, extensions[i].id, 0, name, NULL);
                return 1;
            }
        }
        return 1;
    }
    for (size_t i = 0; i < sizeof socket_notes / sizeof socket_notes[0]; i++) {
        if (strcmp(t, socket_notes[i].text) == 0) {
            ADD(LP_EV_NOTE, 0, 0, socket_notes[i].key, NULL);
            return 1;
        }
    }
    return 0;
}

int lp_match_wolfssl_line(logparse_result_t *r, const lp_line_t *ln)
{
    const char *t = wl_body(ln->text);
    const char *rest;
    if (t[0] == '\0')
        return 0;
    r->wl.lines++;
    if (starts(t, "wolfSSL Entering ", NULL))
        return 0;
    int m;
    if (starts(t, "wolfSSL Leaving ", &rest))
        m = match_leaving(r, ln, rest);
    else if (starts(t, "wolfSSL error occurred, error = ", &rest))
        m = match_error(r, ln, rest);
    else if ((m = match_alert(r, ln, t)) == 0 && (m = match_state(r, ln, t)) == 0)
        m = match_message(r, ln, t);
    return m < 0 ? -1 : 0;
}

int lp_finish_wolfssl(logparse_result_t *r, const lp_line_t *lines, size_t n)
{
    /* wolfSSL_connect() returns WOLFSSL_FATAL_ERROR and keeps the cause in ssl->error, the
     * last error wolfSSL logged: that is the application's final error. */
    if (r->wl.done || !r->wl.have_error)
        return 0;
    const logparse_event_t *src = &r->events[r->wl.last_error_ev];
    for (size_t i = 0; i < n; i++) {
        if (lines[i].lineno == src->line) {
            char fn[] = "wolfSSL_connect";
            if (!lp_add_event(r, LP_EV_FINAL_ERROR, &lines[i], r->wl.last_error, 0, fn,
                              wolfssl_error_name((int)r->wl.last_error)))
                return -1;
            return 0;
        }
    }
    return 0;
}
