/* summary.md: the short Markdown report for CI job summaries (GitHub's
 * $GITHUB_STEP_SUMMARY, GitLab MR notes): totals, failures with verdicts,
 * hw/sw parity and regressions against the baseline. */
#ifndef TLSRIG_REPORT_MARKDOWN_H
#define TLSRIG_REPORT_MARKDOWN_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

/* doc: report_document(). Writes DIR/summary.md. 0, or -1 with err. */
int report_markdown_write(const char *dir, const json_t *doc, char *err, size_t errlen);
void report_markdown_emit(FILE *out, const json_t *doc);

#endif
