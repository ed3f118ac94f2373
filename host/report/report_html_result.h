/* One result's block of report.html: its badge, diagnosis, connection facts, primitives,
 * ClientHello and server view, files and the client log's last lines. report_html.c lays
 * out the page around the blocks; the result worker renders them ahead (result_texts.h). */
#ifndef TLSRIG_REPORT_HTML_RESULT_H
#define TLSRIG_REPORT_HTML_RESULT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The CSS class and short label of a result's cell (the matrix and the block's badge). */
const char *report_html_cell_class(const json_t *r);
const char *report_html_cell_label(const json_t *r);

/* How a result's block shows in a run of n results: open, and how many of its log's last
 * lines it embeds. */
void report_html_result_form(const json_t *r, size_t n, bool *open, size_t *lines);

/* The block of r, result idx of a run of n results in dir. */
void report_html_result(FILE *out, const char *dir, const json_t *r, size_t idx, size_t n);

#endif
