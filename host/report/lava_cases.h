/* A run's results as LAVA test cases (docs/ci.md, LAVA): one line
 *   lava-test-case NAME --result pass|fail|skip|unknown [--measurement V --units U]
 * per scenario x backend result, the form LAVA's test shell runs and its
 * monitors match. Names are made shell-safe and unique; results map truthfully:
 * met -> pass, not met (also an infrastructure error) -> fail, skipped -> skip,
 * never ran -> unknown (it was not tested: neither pass nor a failure of the
 * code under test). A last case, tlsrig-run-complete, fails when the run was
 * cut short or its completeness is unknown. */
#ifndef TLSRIG_LAVA_CASES_H
#define TLSRIG_LAVA_CASES_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

/* The LAVA result word of one result object. */
const char *lava_result_of(const json_t *r);

/* NAME made of [A-Za-z0-9._-] only (anything else becomes '_'), never
 * empty, never starting with '-', at most n-1 bytes. */
void lava_safe_name(const char *in, char *out, size_t n);

/* Print every case of results (normalised by run_verdict(), so planned runs
 * that never happened are there as not-run) and the completeness case from
 * verdict's completeness. 0; -1 when out reports a write error. */
int lava_cases_print(FILE *out, const json_t *results, const json_t *verdict);

#endif
