#include "xml_escape.h"

void xml_escape(FILE *f, const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; p && *p; p++) {
        switch (*p) {
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
            if (*p >= 0x20 || *p == '\n' || *p == '\t' || *p == '\r') {
                fputc(*p, f);
            }
            break;
        }
    }
}
