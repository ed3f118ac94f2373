/* A connection's capture: server.log and conn.pcap as deferred files (conn_capture.h). */
#define _POSIX_C_SOURCE 200809L
#include "conn_capture.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "capture.h"

#define PCAP_SERVER_PORT 443 /* so tshark decodes TLS without -d */

/* The connection's capture folder, made when its first file is (deferred_file.h). */
static const char *capture_folder(void *ctx)
{
    conn_t *c = ctx;
    if (!c->dir[0]) {
        char err[256];
        if (capture_make_dir(c->srv->capture_dir, c->label, c->dir, sizeof c->dir, err,
                             sizeof err) != 0) {
            c->dir[0] = '\0';
            return NULL; /* errno from the mkdir */
        }
    }
    return c->dir;
}

/* server.log and conn.pcap as streams; the folder and the files come later. */
void conn_capture_open(conn_t *c, const server_conn_start_t *st)
{
    tls_server_t *s = c->srv;
    if (!s->capture_dir[0])
        return;
    c->log_file = deferred_file_open_in(capture_folder, c, "server.log", DEFERRED_FILE_SPILL_MS);
    c->log = c->log_file ? deferred_file_stream(c->log_file) : NULL;
    c->log_unopened = !c->log;
    c->pcap_file = deferred_file_open_in(capture_folder, c, "conn.pcap", DEFERRED_FILE_SPILL_MS);
    char err[256];
    c->pcap =
        c->pcap_file
            ? pcapw_open_stream(deferred_file_stream(c->pcap_file), ntohl(st->peer.sin_addr.s_addr),
                                ntohs(st->peer.sin_port), ntohl(st->local.sin_addr.s_addr),
                                PCAP_SERVER_PORT, err, sizeof err)
            : NULL;
    c->pcap_unopened = !c->pcap;
    c->capture_opened_ms = conn_mono_ms();
}

void conn_capture_to_disk(conn_t *c)
{
    c->capture_on_disk = true;
    if (c->log_file)
        (void)deferred_file_spill(c->log_file);
    if (c->pcap_file)
        (void)deferred_file_spill(c->pcap_file);
}

/* Both capture files made and closed: the names of those lost into `lost`; the first one's
 * reason ("conn.pcap: No space left on device") into why (empty when none was lost). */
void conn_capture_close(conn_t *c, json_t *lost, char *why, size_t whylen)
{
    why[0] = '\0';
    int pcap_err = c->pcap && pcapw_close(c->pcap) != 0 ? EIO : 0;
    int e = deferred_file_close(c->pcap_file);
    pcap_err = e ? e : pcap_err ? pcap_err : c->pcap_unopened ? ENOMEM : 0;
    c->pcap = NULL;
    c->pcap_file = NULL;
    if (pcap_err) {
        json_array_append_new(lost, json_string("conn.pcap"));
        snprintf(why, whylen, "conn.pcap: %s", strerror(pcap_err));
    }
    server_thread_log = NULL;
    int log_err = deferred_file_close(c->log_file);
    log_err = log_err ? log_err : c->log_unopened ? ENOMEM : 0;
    c->log = NULL;
    c->log_file = NULL;
    if (log_err) {
        json_array_append_new(lost, json_string("server.log"));
        if (!why[0])
            snprintf(why, whylen, "server.log: %s", strerror(log_err));
    }
}
