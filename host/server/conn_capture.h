/* A connection's capture files, server.log and conn.pcap, in capture_dir/<label>/ (issue 16):
 * streams kept in memory (deferred_file.h) and made into the folder and its files when the
 * connection ends, or once it has lasted DEFERRED_FILE_SPILL_MS and waits (server_conn_io.c),
 * so no file is made between the client's hello and the server's answer. */
#ifndef TLSRIG_CONN_CAPTURE_H
#define TLSRIG_CONN_CAPTURE_H

#include <jansson.h>
#include <stddef.h>

#include "server_conn_io.h"

/* c->log and c->pcap as streams when the server captures; nothing is made yet. */
void conn_capture_open(conn_t *c, const server_conn_start_t *st);
/* Both files made and closed: the names of those lost into `lost`, the first one's reason
 * ("conn.pcap: No space left on device") into why (empty when none was lost). */
void conn_capture_close(conn_t *c, json_t *lost, char *why, size_t whylen);

#endif
