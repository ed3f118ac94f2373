/* report.json: the whole run in one document: meta, totals, hw/sw parity,
 * every result, and the comparison with the baseline when there was one. */
#ifndef TLSRIG_REPORT_JSON_H
#define TLSRIG_REPORT_JSON_H

#include <jansson.h>
#include <stddef.h>

#include "results_log.h"

/* The document itself (also used by the HTML and Markdown writers). A run on more than
 * one mbedTLS stack gets `stacks_side_by_side`: stack_compare_run() (stack_compare.h).
 * skipped_lines: unreadable results.jsonl lines; completeness:
 * run_completeness() (meta.completeness; meta.cut_short when the run did not
 * record everything it planned); compare: NULL or compare_results(). */
json_t *report_document(const char *dir, const json_t *results, size_t skipped_lines,
                        const json_t *completeness, const json_t *compare);

/* Writes DIR/report.json: doc as json_dumpf writes it with JSON_INDENT(1), sorted keys and
 * 15-digit reals; texts: the run's mirror, whose results are taken from their lines
 * (result_texts.h), or NULL. 0, or -1 with err. */
int report_json_write(const char *dir, const json_t *doc, const run_log_t *texts, char *err,
                      size_t errlen);

#endif
