/* junit.xml: one testcase per scenario x backend result (a repeat gets a
 * " #N" suffix, so names are unique); hw/sw parity is part of the hw
 * testcase. A failure when the expectation is not met (with the log
 * excerpt), an error for an infrastructure error or a scenario that never
 * ran, skipped for skipped. */
#ifndef TLSRIG_JUNIT_H
#define TLSRIG_JUNIT_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

/* results: array of result objects (results.jsonl). Log paths in them are
 * relative to dir. 0, or -1 with err naming the file. */
int junit_write(const char *dir, const json_t *results, char *err, size_t errlen);
/* The document itself, to any stream. */
void junit_emit(FILE *out, const char *dir, const json_t *results);

#endif
