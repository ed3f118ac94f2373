/* Impairments on the server's outgoing byte stream (profile.h impairment_t):
 * sits between mbedTLS's send callback and the socket. It reassembles the
 * records mbedTLS writes, tracks handshake messages and flights, and rewrites
 * or cuts the stream as the profile asks. Also notes plaintext alerts sent. */
#ifndef TLSRIG_IMPAIR_H
#define TLSRIG_IMPAIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "profile.h"

/* The largest TLS record plus header (16 KB plaintext + 2 KB expansion). */
#define IMPAIR_RECORD_MAX (5 + 16384 + 2048)

typedef struct impair_io {
    /* Writes all bytes to the socket; 0 on success, <0 on failure. */
    int (*write_raw)(void *ctx, const uint8_t *data, size_t len);
    /* Ends the connection now: TCP reset when `reset`, else an orderly close. */
    void (*abort_conn)(void *ctx, bool reset);
    /* Waits up to ms, ending at once when the client closes or resets the
     * connection or the server stops: 0 after the full wait, otherwise <0
     * with *why naming what ended it and *waited_ms the time waited. */
    int (*pause)(void *ctx, uint32_t ms, uint32_t *waited_ms, const char **why);
    void *ctx;
} impair_io_t;

typedef struct impair_state {
    const impairment_t *list;
    size_t n;
    impair_io_t io;

    uint8_t pending[IMPAIR_RECORD_MAX]; /* bytes of a record not yet complete */
    size_t pending_len;

    uint32_t records_sent;
    uint32_t flight;  /* 1 = first server flight after the ClientHello */
    bool peer_spoke;  /* the client sent bytes since our last record */
    bool ccs_sent;    /* later handshake records are encrypted */
    uint32_t hs_left; /* bytes left of the current plaintext handshake message */
    uint8_t hs_hdr[4];
    size_t hs_hdr_len;

    int alert_sent;        /* description of a plaintext alert we sent, -1 if none */
    bool sentinel_written; /* IMPAIR_DOWNGRADE_SENTINEL changed a ServerHello */
    bool aborted;          /* an impairment ended the connection */
    char applied[256];     /* what was applied, for the view */
} impair_state_t;

void impair_init(impair_state_t *st, const impairment_t *list, size_t n, impair_io_t io);
/* The client sent data: the next record starts a new server flight. */
void impair_peer_spoke(impair_state_t *st);
/* Send callback body: returns `len` when all bytes were taken, <0 when the
 * connection is gone (written or aborted by an impairment). */
int impair_send(impair_state_t *st, const uint8_t *data, size_t len);
/* The writer's chunk size for plain writes outside mbedTLS (0 = whole). */
size_t impair_chunk_size(const impair_state_t *st);

#endif
