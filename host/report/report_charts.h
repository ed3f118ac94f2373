/* The hw-vs-sw part of report.html: the parity table, and inline SVG charts
 * of handshake time per scenario and time per crypto primitive, one series
 * per backend. A note instead of a chart when a run has no such data. */
#ifndef TLSRIG_REPORT_CHARTS_H
#define TLSRIG_REPORT_CHARTS_H

#include <jansson.h>
#include <stdio.h>

/* doc: report_document(); results: its results array. */
void report_charts_html(FILE *f, const json_t *doc, const json_t *results);

#endif
