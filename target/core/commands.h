/* Agent commands, one file each. */
#ifndef TLSRIG_COMMANDS_H
#define TLSRIG_COMMANDS_H

#include <stddef.h>
#include <stdint.h>

#include "ctrl_request.h"

/* Once at start: heap, DRBG. */
void commands_init(void);

/* HELLO: writes the TLV answer into out, returns its length. */
size_t cmd_hello(uint8_t *out, size_t cap);

/* HANDSHAKE: runs one attempt and sends LOG and one RESULT message. s is
 * NULL when the request was malformed (the RESULT says so). */
void cmd_handshake(const hs_settings_t *s);

/* ENTROPY: host seed (emulators only); returns the status for the answer. */
uint8_t cmd_entropy(const ctrl_request_t *rq);
/* The TEST ONLY seed, from CTRL_ENTROPY or a HANDSHAKE request's T_SEED: ST_OK, or
 * ST_ERR_REFUSED (this agent takes no host entropy), ST_ERR_MALFORMED (the port's length). */
uint8_t entropy_take_seed(const uint8_t *seed, size_t len);

/* SELFTEST: known-answer tests; writes the TLV answer, returns its length. */
size_t cmd_selftest(uint8_t *out, size_t cap);
/* BENCH: throughput per primitive; writes the TLV answer, returns its length. */
size_t cmd_bench(uint8_t *out, size_t cap);
/* FAULT: arm a test fault; returns the status. */
uint8_t cmd_fault(const ctrl_request_t *rq);

#endif
