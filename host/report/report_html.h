/* report.html: one self-contained page (inline CSS and SVG, no script, no
 * remote assets) that opens from a CI artifact: totals, the comparison with
 * the baseline, the scenario x backend matrix, hw/sw parity and charts, and
 * per result the diagnosis, ClientHello, server view, client log and links
 * to the capture files. */
#ifndef TLSRIG_REPORT_HTML_H
#define TLSRIG_REPORT_HTML_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#include "results_log.h"

/* doc: report_document(); texts: the run's mirror with the blocks rendered while it went on
 * (result_texts.h), or NULL. Writes DIR/report.html. 0, or -1 with err. */
int report_html_write(const char *dir, const json_t *doc, const run_log_t *texts, char *err,
                      size_t errlen);
void report_html_emit(FILE *out, const char *dir, const json_t *doc, const run_log_t *texts);

#endif
