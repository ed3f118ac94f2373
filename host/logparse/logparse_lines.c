/* Input bytes -> normalised logical lines: the one place that deals with encodings, prefixes
 * and forum damage, so the matchers only ever see clean ASCII message text. */
#include "logparse_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Append one UTF-8 sequence (or invalid byte) at in[*i] as ASCII; advances *i. */
static size_t put_utf8_as_ascii(const unsigned char *in, size_t len, size_t *i, char *out,
                                size_t room)
{
    unsigned char c = in[*i];
    size_t need = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    if (need == 0 || *i + need >= len) {
        (*i)++;
        if (room > 0)
            out[0] = '?';
        return room > 0 ? 1 : 0;
    }
    for (size_t k = 1; k <= need; k++) {
        if (*i + k >= len || (in[*i + k] & 0xC0) != 0x80) {
            (*i)++;
            if (room > 0)
                out[0] = '?';
            return room > 0 ? 1 : 0;
        }
    }
    const char *rep = "?";
    if (c == 0xE2 && in[*i + 1] == 0x80) {
        unsigned char d = in[*i + 2];
        if (d >= 0x98 && d <= 0x9B)
            rep = "'"; /* typographic single quotes */
        else if (d >= 0x9C && d <= 0x9F)
            rep = "\""; /* typographic double quotes */
        else if (d == 0xA6)
            rep = "..."; /* horizontal ellipsis */
        else if (d >= 0x90 && d <= 0x95)
            rep = "-";
    } else if (c == 0xC2 && in[*i + 1] == 0xA0) {
        rep = " ";
    }
    *i += need + 1;
    size_t n = strlen(rep);
    if (n > room)
        n = room;
    memcpy(out, rep, n);
    return n;
}

/* Copy one physical line to ASCII, bounded by LP_MAX_LINE. */
static void normalise_bytes(const unsigned char *in, size_t len, char *out)
{
    size_t o = 0, i = 0;
    while (i < len && o < LP_MAX_LINE) {
        unsigned char c = in[i];
        if (c >= 0x80) {
            o += put_utf8_as_ascii(in, len, &i, out + o, LP_MAX_LINE - o);
            continue;
        }
        out[o++] = (c < 0x20 || c == 0x7F) ? ' ' : (char)c;
        i++;
    }
    out[o] = '\0';
}

/* "[  12.345]" or "[12.345678]" or "12:34:56.789" at the start; returns chars consumed. */
static size_t strip_timestamp(const char *s, long long *ms)
{
    const char *p = s;
    while (*p == ' ')
        p++;
    bool bracket = *p == '[';
    if (bracket)
        p++;
    while (*p == ' ')
        p++;
    long long parts[3] = {0, 0, 0};
    int nparts = 0;
    const char *q = p;
    while (nparts < 3 && isdigit((unsigned char)*q)) {
        long long v = 0;
        int digits = 0;
        while (isdigit((unsigned char)*q) && digits < 12) {
            v = v * 10 + (*q - '0');
            q++;
            digits++;
        }
        parts[nparts++] = v;
        if (*q != ':')
            break;
        q++;
    }
    if (nparts == 0 || *q != '.' || !isdigit((unsigned char)q[1]))
        return 0;
    if (nparts == 1 && !bracket)
        return 0; /* a bare "12.5" is too likely to be message text */
    q++;
    long long frac = 0, scale = 1;
    for (int d = 0; isdigit((unsigned char)*q); q++, d++) {
        if (d < 3) {
            frac = frac * 10 + (*q - '0');
            scale *= 10;
        }
    }
    long long secs = parts[0];
    if (nparts == 2)
        secs = parts[0] * 60 + parts[1];
    else if (nparts == 3)
        secs = parts[0] * 3600 + parts[1] * 60 + parts[2];
    if (bracket) {
        if (*q != ']')
            return 0;
        q++;
    } else if (*q != ' ') {
        return 0;
    }
    *ms = secs * 1000 + frac * (1000 / scale);
    return (size_t)(q - s);
}

/* Position of a "|N|" level marker (N a digit) that stands alone; NULL if none. */
static const char *find_level_marker(const char *s)
{
    for (const char *p = strchr(s, '|'); p; p = strchr(p + 1, '|')) {
        if (!isdigit((unsigned char)p[1]) || p[2] != '|')
            continue;
        if (p[3] != '\0' && p[3] != ' ')
            continue;
        if (p != s && p[-1] != ' ' && p[-1] != ':')
            continue;
        return p;
    }
    return NULL;
}

/* "file.c:1234:" or "file.c:1234 " anywhere before the message; returns text after it. */
static const char *skip_file_line(const char *s)
{
    for (const char *p = strstr(s, ".c:"); p; p = strstr(p + 1, ".c:")) {
        const char *d = p + 3;
        if (!isdigit((unsigned char)*d) || p == s || !(isalnum((unsigned char)p[-1])))
            continue;
        while (isdigit((unsigned char)*d))
            d++;
        if (*d == ':')
            d++;
        else if (*d != ' ')
            continue;
        return d;
    }
    return NULL;
}

static bool looks_cut(const char *t)
{
    size_t n = strlen(t);
    if (n == 0)
        return false;
    char last = t[n - 1];
    if (last == '-' || last == ',' || last == '(' || last == '/')
        return true;
    int paren = 0, quote = 0;
    for (const char *p = t; *p; p++) {
        paren += (*p == '(') - (*p == ')');
        quote ^= (*p == '\'');
    }
    return paren > 0 || quote;
}

static bool looks_like_dump_row(const char *t)
{
    return isxdigit((unsigned char)t[0]) && isxdigit((unsigned char)t[1]) &&
           isxdigit((unsigned char)t[2]) && isxdigit((unsigned char)t[3]) && t[4] == ':';
}

/* A forum-wrapped line: no prefix of its own, after a prefixed line that was cut (open
 * parenthesis, trailing hyphen) or that was long and is followed by a deeper-indented line. */
static bool is_continuation(const lp_line_t *prev, const char *t, size_t indent)
{
    if (!prev->prefixed || looks_like_dump_row(t) || looks_like_dump_row(prev->text))
        return false;
    while (*t == ' ')
        t++;
    if (strchr("!.<>[", *t))
        return false; /* application status lines ("  ! ... returned", "  . Connecting") */
    if (looks_cut(prev->text))
        return true;
    return prev->raw_len >= 40 && indent >= 2 && indent > prev->indent;
}

static char *trim_dup(const char *s)
{
    while (*s == ' ')
        s++;
    size_t n = strlen(s);
    while (n > 0 && s[n - 1] == ' ')
        n--;
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

static int join_continuation(lp_line_t *prev, const char *cont)
{
    while (*cont == ' ')
        cont++;
    size_t a = strlen(prev->text), b = strlen(cont);
    if (a + b + 1 > LP_MAX_LINE)
        return 0; /* keep bounded; drop the continuation */
    bool hyphen = a > 0 && prev->text[a - 1] == '-';
    char *t = realloc(prev->text, a + b + 2);
    if (!t)
        return -1;
    if (!hyphen)
        t[a++] = ' ';
    memcpy(t + a, cont, b + 1);
    prev->text = t;
    return 0;
}

int lp_split_lines(const char *text, size_t len, lp_line_t **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t cap = 64, count = 0;
    lp_line_t *lines = malloc(cap * sizeof *lines);
    char *buf = malloc(LP_MAX_LINE + 1);
    if (!lines || !buf)
        goto oom;
    size_t pos = 0, lineno = 0;
    while (pos < len || (len == 0 && lineno == 0)) {
        const char *start = text + pos;
        const char *nl = len > pos ? memchr(start, '\n', len - pos) : NULL;
        size_t l = nl ? (size_t)(nl - start) : len - pos;
        pos += l + (nl ? 1 : 0);
        lineno++;
        if (len == 0)
            break;
        if (l > 0 && start[l - 1] == '\r')
            l--;
        normalise_bytes((const unsigned char *)start, l, buf);

        long long ms = -1;
        const char *t = buf + strip_timestamp(buf, &ms);
        int level = -1;
        bool prefixed = false;
        const char *mark = find_level_marker(t);
        if (mark) {
            level = mark[1] - '0';
            prefixed = true;
            t = mark + 3;
        } else {
            const char *after = skip_file_line(t);
            if (after) {
                prefixed = true;
                t = after;
            }
        }
        size_t indent = strspn(buf, " ");
        size_t raw_len = strlen(buf);
        if (!prefixed && count > 0 && t[0] != '\0' &&
            is_continuation(&lines[count - 1], t, indent)) {
            if (join_continuation(&lines[count - 1], t) < 0)
                goto oom;
            lines[count - 1].raw_len = raw_len;
            continue;
        }
        if (count == cap) {
            cap *= 2;
            lp_line_t *nl2 = realloc(lines, cap * sizeof *lines);
            if (!nl2)
                goto oom;
            lines = nl2;
        }
        lp_line_t *ln = &lines[count];
        ln->lineno = lineno;
        ln->level = level;
        ln->prefixed = prefixed;
        ln->time_ms = ms;
        ln->raw_len = raw_len;
        ln->indent = indent;
        ln->text = trim_dup(t);
        if (!ln->text)
            goto oom;
        count++;
    }
    free(buf);
    *out = lines;
    *n = count;
    return 0;
oom:
    free(buf);
    lp_free_lines(lines, count);
    return -1;
}

void lp_free_lines(lp_line_t *lines, size_t n)
{
    if (!lines)
        return;
    for (size_t i = 0; i < n; i++)
        free(lines[i].text);
    free(lines);
}
