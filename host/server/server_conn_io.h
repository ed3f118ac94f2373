/* A server connection's socket and its I/O: deadlines, orderly and abortive
 * closes, the connection log. Used by server_conn.c (the connection's
 * thread) and handed to the impairment layer as callbacks. */
#ifndef TLSRIG_SERVER_CONN_IO_H
#define TLSRIG_SERVER_CONN_IO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "deferred_file.h"
#include "impair.h"
#include "pcap_writer.h"
#include "server_internal.h"

enum io_result { IO_EOF = 0, IO_ERROR = -1, IO_TIMEOUT = -2, IO_STOP = -3 };

#define CONN_OUT_MAX 16384u

typedef struct conn {
    tls_server_t *srv;
    server_slot_t *slot;
    int fd;
    char label[SERVER_LABEL_LEN];
    char dir[SERVER_PATH_LEN]; /* capture folder, empty when not capturing */
    FILE *log;
    pcap_writer_t *pcap;
    /* server.log and conn.pcap, made in dir when the connection ends or has lasted 50 ms
     * (deferred_file.h): no file is made between the client's hello and the answer. */
    deferred_file_t *log_file, *pcap_file;
    uint64_t capture_opened_ms;       /* conn_mono_ms() when they were opened */
    bool capture_on_disk;             /* conn_capture_to_disk ran */
    bool log_unopened, pcap_unopened; /* in the capture folder, but could not be created */
    /* The client's first bytes, replayed to mbedTLS; afterwards the receive
     * buffer, so each socket read is one pcap segment as it arrived. */
    uint8_t *flight;
    size_t flight_len, flight_cap, replay_off;
    uint64_t bytes_in, bytes_out;
    int alert_sent, alert_received;
    const char *ending; /* how the TCP connection ended */
    impair_state_t imp;
    /* The policy's choice; mbedTLS is restricted to it (0 = leave as is). */
    uint16_t pin_suite, pin_group;
    bool hello_retry; /* TLS 1.3: the policy expects a HelloRetryRequest */
    bool tls13;       /* the handshake goes to the TLS 1.3 worker */
    /* The whole handshake must end by then (mono ms), so a client trickling
     * a byte per io_timeout cannot hold a connection slot for ever. */
    uint64_t hs_deadline;
    server_view_t view; /* typed view, handed to the diagnosis */
    /* While set (conn_coalesce), writes wait in out and go in one send when the server next
     * waits, reads or ends: a flight of records in one segment, as most TLS servers send it.
     * Each record in its own send woke the client side once per record (issue 16). */
    bool coalesce;
    bool out_failed; /* a send of out failed: the connection is broken */
    size_t out_len;
    uint8_t out[CONN_OUT_MAX];
} conn_t;

void conn_logf_line(conn_t *c, const char *fmt, const char *arg);
/* The capture folder and its files made now, with what they hold so far (the TLS 1.3
 * worker appends to server.log by name; a long connection's capture is on disk while it
 * lasts); c->dir stays empty when the folder cannot be made. */
void conn_capture_to_disk(conn_t *c);
uint64_t conn_mono_ms(void);
int conn_wait_readable(conn_t *c, uint32_t timeout_ms);
int conn_read_client(conn_t *c, uint8_t *buf, size_t len, uint32_t timeout_ms);
int conn_write_raw(void *ctx, const uint8_t *data, size_t len);
/* Coalescing on (see conn_t.coalesce) or off; off sends what waits. */
void conn_coalesce(conn_t *c, bool on);
/* Sends what waits in out: 0, or -1 when the connection is broken. */
int conn_flush(conn_t *c);
void conn_close_fd(conn_t *c);
void conn_reset_now(conn_t *c);
void conn_fin_now(conn_t *c);
void conn_close_gracefully(conn_t *c, uint32_t drain_ms);
void conn_abort_conn(void *ctx, bool reset);
/* impair_io_t.pause: the delay impairments' wait, ended by the client's FIN
 * or reset or by the server stopping (its stop pipe). */
int conn_pause(void *ctx, uint32_t ms, uint32_t *waited_ms, const char **why);

#endif
