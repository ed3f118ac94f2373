/* Shared state between the accept loop (tls_server.c), the mbedTLS
 * configuration (server_config.c) and the connection threads
 * (server_conn.c). Not part of the public API. */
#ifndef TLSRIG_SERVER_INTERNAL_H
#define TLSRIG_SERVER_INTERNAL_H

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/ssl_ticket.h>
#include <mbedtls/x509_crt.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>

#include "server_view.h"
#include "tls_server.h"

/* Connection slots. A connection still sending its ClientHello is cheap
 * (a thread blocked in poll) and sits in the pending pool; when that pool is
 * full, the connection idle the longest is evicted to admit a new one. Only
 * a complete ClientHello takes one of the SERVER_MAX_CONNS handshake slots;
 * when those are all taken, one idle for SERVER_EVICT_IDLE_MS is evicted,
 * and the newest waiting connection takes it (under a flood the client that
 * just arrived is served first; the ones before it had their chance to
 * speak). So idle, half-sent or stalled connections never make a
 * well-behaved client wait longer than about SERVER_EVICT_IDLE_MS. */
#define SERVER_MAX_CONNS 32
#define SERVER_MAX_PENDING 128
#define SERVER_EVICT_IDLE_MS 1000
#define SERVER_LISTEN_BACKLOG 256
#define SERVER_VIEW_QUEUE 256
#define SERVER_LABEL_LEN 128
#define SERVER_PATH_LEN 1024

typedef enum server_phase { PHASE_PENDING, PHASE_BUSY } server_phase_t;

/* One live connection as the slot manager sees it (server_slots.c). Fields
 * are read and written under tls_server.mu only. */
typedef struct server_slot {
    int fd;           /* -1 once the connection closed its socket */
    uint64_t last_ms; /* started waiting for the client, CLOCK_MONOTONIC ms */
    bool reading;     /* blocked reading from the client: idle is evictable */
    server_phase_t phase;
    bool evicted;      /* its socket was shut down to free the slot */
    bool waiting;      /* has its ClientHello, waits for a handshake slot */
    uint64_t wait_seq; /* order of waiting: the newest waiter goes first */
    struct server_slot *next;
} server_slot_t;

/* issue 17 tls13: what the TLS 1.3 worker needs (server_tls13.c). */
typedef struct server_tls13 {
    char worker[SERVER_PATH_LEN]; /* executable; "" = no TLS 1.3 server */
    char chain_pem[PROFILE_MAX_CHAINS][SERVER_PATH_LEN];
    char key_pem[PROFILE_MAX_CHAINS][SERVER_PATH_LEN];
    size_t n_chains;
    uint8_t ticket_key[32]; /* per server: a ticket opens in the next connection's worker */
} server_tls13_t;

struct tls_server {
    server_profile_t profile;
    char capture_dir[SERVER_PATH_LEN]; /* empty = no capture */
    bool capture_streams_only;         /* tls_server_opts_t */
    int debug_level;
    uint32_t io_timeout_ms;
    uint32_t silence_ms;

    int listen_fd;
    uint16_t port;
    int stop_pipe[2]; /* readable once stopping: wakes every poll */
    pthread_t accept_thread;
    bool accept_started;

    pthread_mutex_t mu;
    pthread_cond_t cond; /* CLOCK_MONOTONIC; views, free slots, idle */
    char label[SERVER_LABEL_LEN];
    unsigned active;             /* connection threads */
    server_slot_t *slots;        /* live connections, newest first */
    unsigned n_pending, n_busy;  /* per phase */
    unsigned n_waiting;          /* pending with a ClientHello, waiting for a slot */
    unsigned n_evicting_busy;    /* busy slots evicted, not yet released */
    unsigned n_evicting_pending; /* pending ones evicted, not yet released */
    uint64_t wait_seq;
    uint64_t evictions;
    bool stopping;
    /* Finished connections: the edge JSON and the typed view side by side. */
    struct queued_view {
        json_t *json;
        server_view_t *typed; /* malloc'd, may be NULL when out of memory */
    } views[SERVER_VIEW_QUEUE];
    size_t view_head, view_count;

    /* One mbedTLS configuration shared by all connections (read-only once
     * set up; the DRBG and ticket keys lock themselves, MBEDTLS_THREADING_C). */
    mbedtls_entropy_context entropy;
    mbedtls_ctr_drbg_context drbg;
    char test_seed[128]; /* TEST ONLY deterministic DRBG seed, "" = OS entropy */
    uint32_t test_counter;
    mbedtls_ssl_config conf;
    mbedtls_x509_crt *certs[PROFILE_MAX_CHAINS]; /* shared, read-only (chain_cache.h) */
    mbedtls_pk_context keys[PROFILE_MAX_CHAINS];
    size_t n_certs;
    mbedtls_x509_crt client_ca;
    mbedtls_ssl_ticket_context ticket;
    int suites[PROFILE_MAX_SUITES + 1];
    mbedtls_ecp_group_id curves[PROFILE_MAX_GROUPS + 1];
    bool config_ready;
    server_tls13_t tls13;
};

/* What the accept loop hands to a connection thread. */
typedef struct server_conn_start {
    tls_server_t *srv;
    int fd;
    struct sockaddr_in peer;
    struct sockaddr_in local;
    char label[SERVER_LABEL_LEN];
    server_slot_t slot;
} server_conn_start_t;

int server_config_setup(tls_server_t *s, const tls_server_opts_t *o, char *err, size_t errlen);
void server_config_free(tls_server_t *s);

/* The running connection's server.log (see server_config.c). */
extern _Thread_local FILE *server_thread_log;

/* Slot manager (server_slots.c), all under s->mu. */
uint64_t server_mono_ms(void);
/* Registers a new connection in the pending pool, evicting the pending
 * connection idle the longest while the pool is full; copies the capture
 * label. false when the server is stopping. */
bool server_slot_admit(tls_server_t *s, server_slot_t *slot, char *label, size_t label_len);
/* The connection starts (true) or stops (false) waiting for client bytes.
 * Only a connection waiting for its client counts as idle: one computing or
 * delaying on purpose is never evicted. */
void server_slot_reading(tls_server_t *s, server_slot_t *slot, bool reading);
/* The connection is closing its socket: never shut it down from now on. */
void server_slot_fd_closed(tls_server_t *s, server_slot_t *slot);
bool server_slot_was_evicted(tls_server_t *s, server_slot_t *slot);
/* Moves a connection with a complete ClientHello to a handshake slot,
 * waiting (and evicting an idle busy connection) while all are taken.
 * false when evicted meanwhile or stopping. */
bool server_slot_promote(tls_server_t *s, server_slot_t *slot);
/* Unregisters the connection (before its thread ends). */
void server_slot_release(tls_server_t *s, server_slot_t *slot);

/* Thread entry: takes ownership of the malloc'd start block and the fd. */
void *server_conn_main(void *start);

/* Queues a finished connection's view (takes the JSON reference and a copy
 * of typed, which may be NULL) and releases the connection slot. */
void server_conn_finished(tls_server_t *s, json_t *view, const server_view_t *typed);

#endif
