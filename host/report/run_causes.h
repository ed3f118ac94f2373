/* Results that went wrong, grouped by root cause: one line per cause at the
 * end of a run instead of one per result. A cause is the verdict (or the
 * outcome when there is none) and what it names: the diverging primitive,
 * the typed infrastructure cause, the mbedTLS error, or why a scenario never
 * ran. */
#ifndef TLSRIG_RUN_CAUSES_H
#define TLSRIG_RUN_CAUSES_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

/* [{cause, detail, count, first: ["scenario (backend)", ... up to 3]}],
 * most frequent first, for results not met (skipped ones excluded). */
json_t *run_root_causes(const json_t *results);

/* "  65 x hw-crypto-divergence (aes-gcm): first a (hw), b (hw), c (hw)" */
void run_causes_print(FILE *out, const json_t *causes);

#endif
