/* Entry point: lines -> events (the stack's matchers), plus the accessors of the public API. */
#include "logparse_internal.h"

#include <stdlib.h>
#include <string.h>

static char *dup_or_null(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s);
    char *d = malloc(n + 1);
    if (d)
        memcpy(d, s, n + 1);
    return d;
}

logparse_event_t *lp_add_event(logparse_result_t *r, logparse_event_type_t type,
                               const lp_line_t *line, long long num, long long num2,
                               const char *str, const char *str2)
{
    if (r->n_events == r->cap_events) {
        size_t cap = r->cap_events ? r->cap_events * 2 : 64;
        logparse_event_t *ev = realloc(r->events, cap * sizeof *ev);
        if (!ev)
            return NULL;
        r->events = ev;
        r->cap_events = cap;
    }
    logparse_event_t *e = &r->events[r->n_events];
    memset(e, 0, sizeof *e);
    e->type = type;
    e->line = line->lineno;
    e->level = line->level;
    e->time_ms = line->time_ms;
    e->num = num;
    e->num2 = num2;
    e->str = dup_or_null(str);
    e->str2 = dup_or_null(str2);
    e->text = dup_or_null(line->text);
    if ((str && !e->str) || (str2 && !e->str2) || !e->text) {
        free(e->str);
        free(e->str2);
        free(e->text);
        return NULL;
    }
    r->n_events++;
    return e;
}

/* mbedTLS's release from its line shapes: the banner, else numeric (2.x) or named (3.x) client
 * states and the "0xc02c (NAME)" (2.28) or "c02c, NAME" (3.x) suite lines. */
static logparse_stack_t mbedtls_release(const logparse_result_t *r)
{
    if (r->version[0] == '2' || r->version[0] == '3')
        return r->version[0] == '2' ? LP_STACK_MBEDTLS_2_28 : LP_STACK_MBEDTLS_3_6;
    size_t v2 = 0, v3 = 0;
    for (size_t i = 0; i < r->n_events; i++) {
        const logparse_event_t *e = &r->events[i];
        if (e->type == LP_EV_STATE) {
            v2 += e->num >= 0;
            v3 += e->num < 0;
        } else if (e->type == LP_EV_SUITE_OFFERED) {
            const char *p = lp_after(e->text, "add ciphersuite: ");
            if (p && strncmp(p, "0x", 2) == 0)
                v2++;
            else if (p && strspn(p, "0123456789abcdef") == 4 && p[4] == ',')
                v3++;
        }
    }
    return v2 > v3 ? LP_STACK_MBEDTLS_2_28 : v3 > v2 ? LP_STACK_MBEDTLS_3_6 : LP_STACK_MBEDTLS;
}

static const struct {
    logparse_stack_t stack;
    const char *name;
} stack_names[] = {
    {LP_STACK_MBEDTLS, "mbedtls"},
    {LP_STACK_MBEDTLS_2_28, "mbedtls-2.28"},
    {LP_STACK_MBEDTLS_3_6, "mbedtls-3.6"},
    {LP_STACK_WOLFSSL, "wolfssl"},
};

const char *logparse_stack_name(logparse_stack_t s)
{
    for (size_t i = 0; i < sizeof stack_names / sizeof stack_names[0]; i++) {
        if (stack_names[i].stack == s)
            return stack_names[i].name;
    }
    return "mbedtls";
}

bool logparse_stack_from_name(const char *name, logparse_stack_t *out)
{
    for (size_t i = 0; name && i < sizeof stack_names / sizeof stack_names[0]; i++) {
        if (strcmp(stack_names[i].name, name) == 0) {
            *out = stack_names[i].stack;
            return true;
        }
    }
    return false;
}

logparse_stack_t logparse_stack(const logparse_result_t *r)
{
    return r ? r->stack : LP_STACK_MBEDTLS;
}

/* wolfSSL when its own line shapes ("wolfSSL Entering ", "connect state: ") outnumber the
 * prefixed (file:line or |N|) lines mbedTLS's debug callbacks write. */
static bool written_by_wolfssl(const lp_line_t *lines, size_t n)
{
    size_t wolf = 0, prefixed = 0;
    for (size_t i = 0; i < n; i++) {
        wolf += lp_wolfssl_shape(lines[i].text);
        prefixed += lines[i].prefixed;
    }
    return wolf >= 2 && wolf > prefixed;
}

logparse_result_t *logparse_text(const char *text, size_t len)
{
    return logparse_text_as(text, len, NULL);
}

logparse_result_t *logparse_text_as(const char *text, size_t len, const char *stack)
{
    logparse_stack_t forced = LP_STACK_MBEDTLS;
    bool is_forced = logparse_stack_from_name(stack, &forced);
    logparse_result_t *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->max_level = -1;
    lp_line_t *lines;
    size_t n;
    if (lp_split_lines(text ? text : "", text ? len : 0, &lines, &n) != 0) {
        free(r);
        return NULL;
    }
    r->n_lines = n ? lines[n - 1].lineno : 0;
    bool wolf = is_forced ? forced == LP_STACK_WOLFSSL : written_by_wolfssl(lines, n);
    size_t i = 0;
    while (wolf && i < n) {
        if (lp_match_wolfssl_line(r, &lines[i++]) < 0)
            goto oom;
    }
    if (wolf && lp_finish_wolfssl(r, lines, n) < 0)
        goto oom;
    while (!wolf && i < n) {
        if (lines[i].level >= 0 && lines[i].level < 10)
            r->level_lines[lines[i].level]++;
        long used = lp_match_hexdump(r, lines, n, i);
        if (used < 0)
            goto oom;
        if (used > 0) {
            i += (size_t)used;
            continue;
        }
        lp_pairs_t pairs = {{0}};
        lp_pairs_add(&pairs, lines[i].text);
        if (lp_match_line(r, &lines[i], &pairs) < 0 || lp_match_notes(r, &lines[i], &pairs) < 0)
            goto oom;
        i++;
    }
    /* The level the log was captured at: the highest one with a few lines (a stray line from
     * an application's own prefix must not count), else the highest seen. */
    for (int l = 9; l >= 0 && r->max_level < 0; l--) {
        if (r->level_lines[l] >= 3)
            r->max_level = l;
    }
    for (int l = 9; l >= 0 && r->max_level < 0; l--) {
        if (r->level_lines[l] > 0)
            r->max_level = l;
    }
    r->stack = wolf ? LP_STACK_WOLFSSL : is_forced ? forced : mbedtls_release(r);
    lp_free_lines(lines, n);
    return r;
oom:
    lp_free_lines(lines, n);
    logparse_free(r);
    return NULL;
}

void logparse_free(logparse_result_t *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_events; i++) {
        free(r->events[i].str);
        free(r->events[i].str2);
        free(r->events[i].data);
        free(r->events[i].text);
    }
    free(r->events);
    free(r);
}

size_t logparse_event_count(const logparse_result_t *r)
{
    return r ? r->n_events : 0;
}

const logparse_event_t *logparse_event_at(const logparse_result_t *r, size_t i)
{
    return r && i < r->n_events ? &r->events[i] : NULL;
}

size_t logparse_line_count(const logparse_result_t *r)
{
    return r ? r->n_lines : 0;
}

int logparse_max_level(const logparse_result_t *r)
{
    return r ? r->max_level : -1;
}

const logparse_clienthello_t *logparse_clienthello(const logparse_result_t *r)
{
    return r ? &r->ch : NULL;
}

const char *logparse_version(const logparse_result_t *r)
{
    return r && r->version[0] ? r->version : NULL;
}
