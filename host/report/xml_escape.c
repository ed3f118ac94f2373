#include "xml_escape.h"

#include <stdbool.h>

/* Bytes written as they are: everything but markup characters and the
 * control characters XML 1.0 forbids (those are dropped). */
static bool plain(unsigned char c)
{
    return (c >= 0x20 && c != '<' && c != '>' && c != '&' && c != '"' && c != '\'') || c == '\n' ||
           c == '\t' || c == '\r';
}

void xml_escape(FILE *f, const char *text)
{
    const unsigned char *p = (const unsigned char *)text;
    while (p && *p) {
        /* Runs of plain bytes in one write: a log tail is thousands of them. */
        const unsigned char *run = p;
        while (*p && plain(*p)) {
            p++;
        }
        if (p > run) {
            fwrite(run, 1, (size_t)(p - run), f);
        }
        switch (*p) {
        case '\0':
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '&':
            fputs("&amp;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&#39;", f);
            break;
        default:
            break; /* a forbidden control character */
        }
        if (*p) {
            p++;
        }
    }
}
