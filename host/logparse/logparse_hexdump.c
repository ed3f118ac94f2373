/* "dumping 'LABEL' (N bytes)" followed by "0000:  6b 03 ..." rows -> one event with the bytes.
 * Missing rows (forum pastes) end the dump early; the event keeps what was read. */
#include "logparse_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static int hexval(int c)
{
    c = tolower(c);
    return isdigit(c) ? c - '0' : c - 'a' + 10;
}

/* Parse one dump row; returns the number of bytes appended (<= 16), or -1 if not a row. */
static int parse_row(const char *t, size_t expect_off, unsigned char *out, size_t room)
{
    long long off;
    const char *p;
    if (!isxdigit((unsigned char)t[0]) || !lp_parse_hex(t, &off, &p) || *p != ':')
        return -1;
    if ((size_t)off != expect_off)
        return -1; /* a gap: rows are missing */
    p++;
    int n = 0;
    while (n < 16 && (size_t)n < room) {
        while (*p == ' ')
            p++;
        if (!isxdigit((unsigned char)p[0]) || !isxdigit((unsigned char)p[1]) ||
            (p[2] != ' ' && p[2] != '\0'))
            break;
        out[n++] = (unsigned char)(hexval(p[0]) * 16 + hexval(p[1]));
        p += 2;
    }
    return n;
}

static void maybe_decode_clienthello(logparse_result_t *r, const char *label,
                                     const unsigned char *b, size_t n, size_t line)
{
    bool ext_only = strcmp(label, "client hello extensions") == 0;
    bool full = strcmp(label, "client hello") == 0 ||
                (strstr(label, "output record") && n > 9 && b[0] == 0x16 && b[5] == 0x01);
    if (!ext_only && !full)
        return;
    if (r->ch.present && (r->ch.has_suites || ext_only))
        return; /* keep the first, unless a full hello replaces a bare extension block */
    logparse_clienthello_t ch;
    if (logparse_decode_clienthello(b, n, ext_only, &ch) == 0) {
        ch.source_line = line;
        r->ch = ch;
    }
}

long lp_match_hexdump(logparse_result_t *r, const lp_line_t *lines, size_t n, size_t i)
{
    const char *p = lp_after(lines[i].text, "dumping '");
    if (!p)
        return 0;
    const char *q = strchr(p, '\'');
    if (!q)
        return 0;
    char label[96];
    size_t ll = (size_t)(q - p) < sizeof label - 1 ? (size_t)(q - p) : sizeof label - 1;
    memcpy(label, p, ll);
    label[ll] = '\0';
    long long declared = -1;
    const char *paren = lp_after(q, "(");
    if (paren)
        lp_parse_int(paren, &declared, NULL);
    size_t want = declared > 0 && declared < LP_MAX_DUMP ? (size_t)declared : 0;
    unsigned char *buf = malloc(want ? want : 1);
    if (!buf)
        return -1;
    size_t got = 0, j = i + 1;
    while (got < want && j < n) {
        int k = parse_row(lines[j].text, got, buf + got, want - got);
        if (k <= 0)
            break;
        got += (size_t)k;
        j++;
    }
    logparse_event_t *ev = lp_add_event(r, LP_EV_HEXDUMP, &lines[i], declared, 0, label, NULL);
    if (!ev) {
        free(buf);
        return -1;
    }
    ev->data = buf;
    ev->data_len = got;
    if (strcmp(label, "server hello, version") == 0 && got == 2) {
        if (!lp_add_event(r, LP_EV_SERVER_VERSION, &lines[i], (buf[0] << 8) | buf[1], 0, NULL,
                          NULL))
            return -1;
    }
    maybe_decode_clienthello(r, label, buf, got, lines[i].lineno);
    return (long)(j - i);
}
