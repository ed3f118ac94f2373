/* The one definition of hw/sw parity, used by the runner when it records a
 * hw result and by every report and comparison of older runs. Two results of
 * the same scenario, board and config agree when the handshake ended the same
 * way: outcome, mbedTLS return code, alerts received and sent, negotiated
 * version and suite. Only results that ran (pass or fail) enter parity:
 * skipped, not-run and infra-error results are not applicable. */
#ifndef TLSRIG_PARITY_RULE_H
#define TLSRIG_PARITY_RULE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

typedef enum parity_status {
    PARITY_NOT_APPLICABLE = -1,
    PARITY_MISMATCH = 0,
    PARITY_MATCH = 1,
} parity_status_t;

/* Does this result take part in parity (outcome pass or fail)? */
bool parity_applicable(const json_t *r);

/* Compare sw with hw; on a mismatch, why names the first differing field
 * with both values ("outcome: sw pass, hw fail"). */
parity_status_t parity_compare(const json_t *sw, const json_t *hw, char *why, size_t n);

#endif
