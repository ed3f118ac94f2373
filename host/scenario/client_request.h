/* A scenario's client settings as the agent's HANDSHAKE request (TLVs). */
#ifndef TLSRIG_CLIENT_REQUEST_H
#define TLSRIG_CLIENT_REQUEST_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "scenario.h"

/* Encode into buf; returns the length, or 0 with err naming the bad value. */
size_t client_request_encode(const scenario_t *s, const char *scenario_id, time_t now, uint8_t *buf,
                             size_t cap, char *err, size_t errlen);

/* Name lookups (mbedTLS or IANA spelling), -1 when unknown. */
int suite_id_from_name(const char *name);
int group_id_from_name(const char *name);
int tls_version_from_name(const char *name);

/* A scenario's client.time: "now" (or absent), "none" (no clock: -1), or
 * YYYY-MM-DD[THH:MM:SS]; -2 when malformed. Unix seconds otherwise. */
long long client_time_resolve(const char *value, time_t now);

#endif
