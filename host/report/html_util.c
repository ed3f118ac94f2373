#define _POSIX_C_SOURCE 200809L
#include "html_util.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "xml_escape.h"

void html_text(FILE *f, const char *s)
{
    xml_escape(f, s ? s : "");
}

static void scalar(FILE *f, const json_t *v, size_t max_str)
{
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        size_t n = strlen(s);
        if (n <= max_str) {
            html_text(f, s);
        } else {
            char *cut = strndup(s, max_str);
            html_text(f, cut);
            free(cut);
            fprintf(f, "&hellip; <i>(%zu chars)</i>", n);
        }
    } else if (json_is_null(v)) {
        fputs("<i>null</i>", f);
    } else if (json_is_real(v)) {
        fprintf(f, "%.6g", json_real_value(v));
    } else {
        char *t = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
        html_text(f, t);
        free(t);
    }
}

static bool all_scalars(const json_t *a)
{
    size_t i;
    const json_t *v;
    json_array_foreach(a, i, v)
    {
        if (json_is_object(v) || json_is_array(v)) {
            return false;
        }
    }
    return true;
}

static void value(FILE *f, const json_t *v, size_t max_str, int depth)
{
    if (json_is_object(v) && depth < 4) {
        fputs("<table class=kv>", f);
        const char *k;
        const json_t *x;
        json_object_foreach((json_t *)v, k, x)
        {
            fputs("<tr><th>", f);
            html_text(f, k);
            fputs("</th><td>", f);
            value(f, x, max_str, depth + 1);
            fputs("</td></tr>", f);
        }
        fputs("</table>", f);
    } else if (json_is_array(v) && all_scalars(v)) {
        size_t i;
        const json_t *x;
        json_array_foreach(v, i, x)
        {
            fputs(i ? ", " : "", f);
            fputs("<code>", f);
            scalar(f, x, max_str);
            fputs("</code>", f);
        }
        if (json_array_size(v) == 0) {
            fputs("<i>none</i>", f);
        }
    } else if (json_is_array(v) && depth < 4) {
        size_t i;
        const json_t *x;
        json_array_foreach(v, i, x)
        {
            value(f, x, max_str, depth + 1);
        }
    } else if (json_is_object(v) || json_is_array(v)) {
        char *t = json_dumps(v, JSON_COMPACT);
        json_t *s = json_string(t ? t : "");
        scalar(f, s, max_str);
        json_decref(s);
        free(t);
    } else {
        scalar(f, v, max_str);
    }
}

void html_json(FILE *f, const json_t *v, size_t max_str)
{
    value(f, v, max_str, 0);
}

int html_log_tail(FILE *f, const char *path, size_t max_lines, size_t max_bytes)
{
    FILE *in = fopen(path, "rb");
    if (!in) {
        fputs("<p class=note>log file not found in the run directory</p>", f);
        return 0;
    }
    /* Read the last max_bytes, then keep the last max_lines of them. */
    fseek(in, 0, SEEK_END);
    long size = ftell(in);
    long from = size > (long)max_bytes ? size - (long)max_bytes : 0;
    fseek(in, from, SEEK_SET);
    char *buf = malloc(max_bytes + 1);
    size_t n = buf ? fread(buf, 1, max_bytes, in) : 0;
    fclose(in);
    if (!buf) {
        return 0;
    }
    buf[n] = '\0';
    size_t start = 0;
    if (from > 0) { /* drop the partial first line */
        while (start < n && buf[start] != '\n') {
            start++;
        }
        start += start < n;
    }
    size_t end = n > 0 && buf[n - 1] == '\n' ? n - 1 : n, lines = 0, cut = start;
    for (size_t i = end; i > start; i--) {
        if (buf[i - 1] == '\n' && ++lines == max_lines) {
            cut = i;
            break;
        }
    }
    bool truncated = from > 0 || cut > start;
    if (truncated) {
        fprintf(f,
                "<p class=note>only the last %zu lines are shown; the log file has all of it</p>",
                max_lines);
    }
    fputs("<pre class=log>", f);
    html_text(f, buf + cut);
    fputs("</pre>", f);
    free(buf);
    return truncated;
}
