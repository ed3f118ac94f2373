/* The farm view of a run: results counted per host and board, for a merge of
 * runs from several hosts and boards (tlsrig merge). A result's host is the
 * one its run recorded (run-start `host`; merge copies it into the result's
 * `source.host`); "-" for runs from before hosts were recorded. */
#ifndef TLSRIG_FARM_MATRIX_H
#define TLSRIG_FARM_MATRIX_H

#include <jansson.h>
#include <stdio.h>

/* The host of a result: source.host, else its own host, else the host of the run-start
 * record of its source (same source.prefix), else "-". */
const char *farm_host_of(const json_t *r, const json_t *records);

/* {hosts: [sorted], boards: [sorted], cells: [{host, board, totals (rm_totals)}]} with one
 * cell per host and board that has results, sorted by host then board. */
json_t *farm_matrix(const json_t *results, const json_t *records);

/* Hosts down, boards across, "met of applicable" per cell (and what did not run). Nothing
 * when the matrix has a single cell (one board on one host: the totals say it all). */
void farm_matrix_markdown(FILE *f, const json_t *farm);
void farm_matrix_html(FILE *f, const json_t *farm);

#endif
