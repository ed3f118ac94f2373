/* Small HTML building blocks for report.html: escaped text, any JSON value
 * as nested tables, and the tail of a log file embedded as text. */
#ifndef TLSRIG_HTML_UTIL_H
#define TLSRIG_HTML_UTIL_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

void html_text(FILE *f, const char *s);

/* Objects as two-column tables, arrays of scalars inline, long strings cut
 * at max_str characters; nesting beyond a few levels is shown as JSON. */
void html_json(FILE *f, const json_t *v, size_t max_str);

/* The last max_lines lines (at most max_bytes) of path inside <pre>; a note
 * when the file is missing. Returns 1 when cut. */
int html_log_tail(FILE *f, const char *path, size_t max_lines, size_t max_bytes);

#endif
