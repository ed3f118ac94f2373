/* The hardware-vs-software comparison: self-test results per image, the join
 * of each scenario's sw and hw results, and the per-primitive table. */
#ifndef TLSRIG_PARITY_H
#define TLSRIG_PARITY_H

#include <jansson.h>
#include <stdio.h>

#include "parity_rule.h"

/* A results.jsonl line for one image's self-test run (scenario
 * "crypto-selftest"): outcome pass when every primitive passed, else fail
 * naming the primitives. selftest is agent_selftest()'s answer (borrowed). */
json_t *parity_selftest_result(const char *board, const char *backend, const char *config,
                               const json_t *selftest, const char *fault);

/* Parity is a property of the pair, recorded in the hw result: when r is a
 * hw target result and results holds the sw result of the same scenario,
 * board and config, compare them (parity_rule.h) and set r's "parity" to
 * {match, reason, primitive (from the hw self-test, or "unknown")}. A
 * mismatch makes r's expectation unmet, the difference in expect_detail. */
parity_status_t parity_attach(json_t *r, const json_t *results);

/* Per-primitive totals per backend and the hw/sw time ratio. */
void parity_print_primitives(FILE *out, const json_t *results);

/* Attach an image's micro-benchmark to its self-test result as "bench":
 * {"<prim>/<bytes>": {ops, bytes, ns, mb_per_s | ops_per_s}}. */
void parity_attach_bench(json_t *selftest_result, const json_t *bench);

/* Benchmarks per backend side by side with the hw/sw speed-up; without
 * any (no --bench), one line saying why (the self-test's bench_status). */
void parity_print_bench(FILE *out, const json_t *results);

#endif
