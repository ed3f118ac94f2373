/* The server's first answer to a ClientHello, as seen on the wire by a raw
 * socket client: ServerHello (suite, and the ECDHE group from the
 * ServerKeyExchange), a plaintext alert, a TCP reset, a close, or nothing. */
#ifndef TLSRIG_WIRE_ANSWER_H
#define TLSRIG_WIRE_ANSWER_H

#include <stdint.h>

typedef enum wire_kind {
    WIRE_SERVER_HELLO,
    WIRE_ALERT,
    WIRE_RESET,
    WIRE_CLOSE,
    WIRE_SILENCE, /* socket timeout before any answer */
    WIRE_GARBAGE, /* bytes that are not TLS records */
} wire_kind_t;

typedef struct wire_answer {
    wire_kind_t kind;
    uint16_t suite; /* WIRE_SERVER_HELLO */
    uint16_t group; /* named group of an ECDHE ServerKeyExchange, else 0 */
    uint8_t alert;  /* WIRE_ALERT: description */
} wire_answer_t;

/* Reads from fd (with its socket timeouts) until the answer is known: the
 * server flight up to ServerHelloDone, an alert, EOF or an error. */
wire_answer_t wire_read_answer(int fd);
const char *wire_kind_name(wire_kind_t k);

#endif
