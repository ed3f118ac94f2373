/* Shared between the logparse source files; not part of the public API. */
#ifndef TLSRIG_LOGPARSE_INTERNAL_H
#define TLSRIG_LOGPARSE_INTERNAL_H

#include "logparse_pairs.h"
#include "logparse.h"

/* Longest logical line kept; longer input lines are cut (the rest is ignored). */
#define LP_MAX_LINE 4096
/* Largest hex dump reassembled (a 16 KB record plus headers). */
#define LP_MAX_DUMP 20000

typedef struct {
    size_t lineno;     /* 1-based input line where this logical line starts */
    int level;         /* |N| or -1 */
    bool prefixed;     /* had a file:line or |N| prefix */
    long long time_ms; /* leading timestamp or -1 */
    char *text;        /* normalised text after the prefix, ASCII only */
    size_t raw_len;    /* length of the (last) physical line, for wrap detection */
    size_t indent;     /* leading spaces of the first physical line */
} lp_line_t;

struct logparse_result {
    logparse_event_t *events;
    size_t n_events, cap_events;
    size_t n_lines;
    int max_level;
    size_t level_lines[10]; /* lines per debug level */
    char version[32];
    logparse_clienthello_t ch;
    /* issue 18 wolfdiag: which stack wrote the log, and the wolfSSL matchers' state. */
    logparse_stack_t stack;
    struct {
        size_t lines;
        bool server_hello, done, have_error;
        long long last_error;
        size_t last_error_ev; /* index of the event of the last error */
    } wl;
};

/* Split and normalise: CRLF, NUL and control bytes, UTF-8 quotes and ellipses, prefixes,
 * wrapped lines re-joined. Returns 0, or -1 when out of memory (*out freed). */
int lp_split_lines(const char *text, size_t len, lp_line_t **out, size_t *n);
void lp_free_lines(lp_line_t *lines, size_t n);

/* Append an event copying the strings; returns it or NULL when out of memory. */
logparse_event_t *lp_add_event(logparse_result_t *r, logparse_event_type_t type,
                               const lp_line_t *line, long long num, long long num2,
                               const char *str, const char *str2);

/* Match one line against the message patterns; adds events. Returns -1 on OOM. pairs: the
 * line's text's byte pairs (logparse_pairs.h). */
int lp_match_line(logparse_result_t *r, const lp_line_t *line, const lp_pairs_t *pairs);
/* Tell-tale substrings (data table): adds LP_EV_NOTE events. */
int lp_match_notes(logparse_result_t *r, const lp_line_t *line, const lp_pairs_t *pairs);

/* If lines[i] opens a hex dump, reassemble it, add an event and return the number of lines
 * consumed (>= 1); 0 when it is not a dump; -1 on OOM. */
long lp_match_hexdump(logparse_result_t *r, const lp_line_t *lines, size_t n, size_t i);

/* issue 18 wolfdiag: wolfSSL debug lines (logparse_wolfssl.c). lp_wolfssl_shape: the line has
 * one of the shapes only wolfSSL writes ("wolfSSL Entering ", "connect state: ", ...). */
bool lp_wolfssl_shape(const char *text);
int lp_match_wolfssl_line(logparse_result_t *r, const lp_line_t *line);
/* After the last line: the final error. -1 on OOM. */
int lp_finish_wolfssl(logparse_result_t *r, const lp_line_t *lines, size_t n);

/* Small helpers for the matchers. */
const char *lp_after(const char *hay, const char *needle); /* pointer after needle or NULL */
bool lp_parse_hex(const char *s, long long *out, const char **end);
bool lp_parse_int(const char *s, long long *out, const char **end);
int lp_extension_id_from_name(const char *name);

#endif
