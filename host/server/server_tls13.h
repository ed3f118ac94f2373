/* TLS 1.3 connections through the mbedTLS 3.6 worker (server_tls13.c,
 * host/server13). issue 17 tls13. */
#ifndef TLSRIG_SERVER_TLS13_H
#define TLSRIG_SERVER_TLS13_H

#include <jansson.h>

#include "server_conn_io.h"

#define HS_TIMEOUT_FACTOR_TLS13 6 /* as the 2.28 path: handshake deadline = 6 x io_timeout */

/* The worker executable: $TLSRIG_TLS13_WORKER when set ("" = none), else the
 * one built beside tlsrig (empty when the mbedtls-3.6 stack is not built). */
const char *server_tls13_worker_path(void);

/* Runs the handshake of an accepted TLS 1.3 hello (c->flight holds the first
 * flight, c->pin_suite / c->pin_group the policy's choice); fills c's view and
 * alerts. Returns the view's "handshake" object. */
json_t *server_tls13_run(conn_t *c);

#endif
