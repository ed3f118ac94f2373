/* The agent's RESULT message as JSON: mbedtls_ret, mbedtls_error (the macro
 * name for the host's release), mbedtls_error_text (the agent's strerror),
 * alert_received, alert_sent, version, suite, peer_cert, verify_flags,
 * state_us {state name: microseconds}, handshake_steps, bytes_in, bytes_out,
 * heap_peak, target_duration_us. */
#ifndef TLSRIG_RESULT_DECODE_H
#define TLSRIG_RESULT_DECODE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* NULL when the payload is malformed. */
json_t *result_decode(const uint8_t *payload, size_t len);

#endif
