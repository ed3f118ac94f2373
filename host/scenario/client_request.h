/* A scenario's client settings as the agent's HANDSHAKE request (TLVs). */
#ifndef TLSRIG_CLIENT_REQUEST_H
#define TLSRIG_CLIENT_REQUEST_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "scenario.h"

/* Encode the scenario's plan (checked at load) into buf; returns the length,
 * or 0 with err when it does not fit. */
size_t client_request_encode(const scenario_t *s, const char *scenario_id, time_t now, uint8_t *buf,
                             size_t cap, char *err, size_t errlen);

/* Name lookups (mbedTLS or IANA spelling), -1 when unknown. */
int suite_id_from_name(const char *name);
int group_id_from_name(const char *name);
int tls_version_from_name(const char *name);

/* The client's time in Unix seconds when run at `now`; -1 for no clock. */
long long client_plan_time(const client_plan_t *p, time_t now);

#endif
