/* What the reports prepare from each result while a run goes on (issue 16: rendering every
 * result again at the end of a run cost about 0.4 ms per result on its critical path):
 *
 * - its line as results.jsonl holds it: jansson's compact dump with sorted keys and 15-digit
 *   reals, which parses back into the mirror's object and dumps again into the same bytes, so
 *   report.json takes it re-indented (json_reindent.h) instead of dumping the object;
 * - its report.html block, rendered by the appending thread (the run's result worker) with
 *   the index and the size of run it expected; used only when both hold at the end.
 *
 * Only the mirror of a run's own results.jsonl has them: lines read from a file may be in any
 * valid form, and are rendered from their objects. */
#ifndef TLSRIG_RESULT_TEXTS_H
#define TLSRIG_RESULT_TEXTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "results_log.h"

typedef struct result_text {
    const json_t *result; /* the mirror's object the text belongs to (not a reference) */
    char *line;           /* the line as written, without its newline; not NUL-terminated */
    size_t line_len;
    char *html; /* report_html_result() of it, or NULL */
    size_t html_len;
    size_t html_idx; /* what the block was rendered with */
    size_t html_n;
} result_text_t;

/* Adds the text of log->results' newest object r, taking line (malloc'd, len bytes): NULL,
 * with line freed, when memory ran out (the result is then rendered at the end). */
result_text_t *result_texts_add(run_log_t *log, const json_t *r, char *line, size_t len);
/* Renders t's report.html block as result idx of a run of n results in dir. */
void result_text_render_html(result_text_t *t, const char *dir, size_t idx, size_t n);
/* The text of results[idx] when it is r's, else NULL. */
const result_text_t *result_texts_at(const run_log_t *log, size_t idx, const json_t *r);
void result_texts_free(run_log_t *log);

#endif
