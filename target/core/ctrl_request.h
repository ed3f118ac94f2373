/* The agent's CTRL request decoder: one CTRL message (type and TLV payload,
 * straight from the link, i.e. from outside) into a typed request, every
 * length and value checked. Portable and free of mbedTLS, so it is unit-tested
 * and fuzzed on the host (fuzz/agent_ctrl). */
#ifndef TLSRIG_CTRL_REQUEST_H
#define TLSRIG_CTRL_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#include "hs_settings.h"

#define CTRL_FAULT_NAME_CAP 32u

typedef struct ctrl_request {
    uint8_t type;   /* CTRL_* */
    uint8_t status; /* ST_OK, or what to answer: ST_ERR_MALFORMED, ST_ERR_UNSUPPORTED */
    union {
        struct {                 /* CTRL_CA_DATA: T_DATA; CTRL_ENTROPY: the seed in T_DATA */
            const uint8_t *data; /* points into the decoded payload */
            size_t len;
        } data;
        hs_settings_t handshake; /* CTRL_HANDSHAKE */
        struct {                 /* CTRL_FAULT */
            char name[CTRL_FAULT_NAME_CAP];
            uint32_t every;
        } fault;
    } u;
} ctrl_request_t;

/* Decode one request; returns out->status. The payload must stay alive while
 * out->u.data is used. Commands without arguments (HELLO, CA_CLEAR, SELFTEST,
 * BENCH, PING, RESET) ignore their payload. */
uint8_t ctrl_request_decode(uint8_t type, const uint8_t *payload, size_t len, ctrl_request_t *out);

#endif
