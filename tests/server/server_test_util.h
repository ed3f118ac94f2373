/* Helpers for the live server tests: profiles built in C, an in-process
 * server, real clients run with a time limit, raw sockets with timeouts. */
#ifndef TLSRIG_SERVER_TEST_UTIL_H
#define TLSRIG_SERVER_TEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tls_server.h"

/* A permissive profile: RSA-2048 chain, mbedTLS default suites, TLS 1.2. */
void stu_default_profile(server_profile_t *p);
/* Starts the server; capture into TLSRIG_BUILD_DIR/server-captures/<sub> when sub != NULL. */
tls_server_t *stu_start(const server_profile_t *p, const char *capture_sub);
/* The same with the label of the first connections and capture_streams_only given. */
tls_server_t *stu_start_labelled(const server_profile_t *p, const char *capture_sub,
                                 const char *label, bool streams_only);
/* The same with the server's own default timeouts (io_timeout_ms 10 s). */
tls_server_t *stu_start_default_timeouts(const server_profile_t *p);
/* The capture root used for `sub`. */
void stu_capture_root(const char *sub, char *out, size_t outlen);
/* Runs a shell command (bounded by `timeout`), returns its stdout+stderr (free it). */
char *stu_run(const char *fmt, ...);
/* Connects to 127.0.0.1:port with 10 s socket timeouts; -1 on failure. */
int stu_connect(uint16_t port);
/* Reads until EOF, error or timeout; returns bytes read (<= cap). */
size_t stu_read_all(int fd, uint8_t *buf, size_t cap);
/* Waits for the next view and checks it is there (Criterion assert). */
json_t *stu_view(tls_server_t *s);

#endif
