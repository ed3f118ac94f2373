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

#define SERVER_MAX_CONNS 32
#define SERVER_VIEW_QUEUE 256
#define SERVER_LABEL_LEN 128
#define SERVER_PATH_LEN 1024

struct tls_server {
    server_profile_t profile;
    char capture_dir[SERVER_PATH_LEN]; /* empty = no capture */
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
    unsigned active;
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
    char test_seed[128];   /* TEST ONLY deterministic DRBG seed, "" = OS entropy */
    uint32_t test_counter;
    mbedtls_ssl_config conf;
    mbedtls_x509_crt certs[PROFILE_MAX_CHAINS];
    mbedtls_pk_context keys[PROFILE_MAX_CHAINS];
    size_t n_certs;
    mbedtls_x509_crt client_ca;
    mbedtls_ssl_ticket_context ticket;
    int suites[PROFILE_MAX_SUITES + 1];
    mbedtls_ecp_group_id curves[PROFILE_MAX_GROUPS + 1];
    bool config_ready;
};

/* What the accept loop hands to a connection thread. */
typedef struct server_conn_start {
    tls_server_t *srv;
    int fd;
    struct sockaddr_in peer;
    struct sockaddr_in local;
    char label[SERVER_LABEL_LEN];
} server_conn_start_t;

int server_config_setup(tls_server_t *s, const tls_server_opts_t *o, char *err, size_t errlen);
void server_config_free(tls_server_t *s);

/* The running connection's server.log (see server_config.c). */
extern _Thread_local FILE *server_thread_log;

/* Thread entry: takes ownership of the malloc'd start block and the fd. */
void *server_conn_main(void *start);

/* Queues a finished connection's view (takes the JSON reference and a copy
 * of typed, which may be NULL) and releases the connection slot. */
void server_conn_finished(tls_server_t *s, json_t *view, const server_view_t *typed);

#endif
