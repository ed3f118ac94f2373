/* Does a result meet its scenario's expectation. */
#ifndef TLSRIG_EXPECT_H
#define TLSRIG_EXPECT_H

#include <jansson.h>
#include <stdbool.h>

#include "scenario.h"

/* Reads outcome, mbedtls_ret, alert_received, alert_sent, verdict (and for
 * replays, answer) from result; sets "expect_met" and, when not met,
 * "expect_detail" (what differed). Returns expect_met. */
bool expect_evaluate(const scenario_t *s, json_t *result);

#endif
