#define _GNU_SOURCE /* POLLRDHUP: the client's FIN without reading its bytes */
#include "server_conn_io.h"

#include "capture.h"

#include <errno.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

void conn_logf_line(conn_t *c, const char *fmt, const char *arg)
{
    char text[1024];
    snprintf(text, sizeof text, fmt, arg);
    capture_log_line(c->log, text);
}

uint64_t conn_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* A connection that waits once it has lasted DEFERRED_FILE_SPILL_MS has its capture made
 * (conn_capture_to_disk: a long or hung connection's files are on disk while it lasts);
 * before that the wait ends when it is due. The wait in ms, shortened, for a poll. */
static int capture_tick(conn_t *c, uint64_t now, uint64_t until)
{
    if ((c->log_file || c->pcap_file) && !c->capture_on_disk) {
        uint64_t due = c->capture_opened_ms + DEFERRED_FILE_SPILL_MS;
        if (now >= due) {
            conn_capture_to_disk(c);
        } else if (due < until) {
            until = due;
        }
    }
    return until > now ? (int)(until - now) : 0;
}

/* Waits until the socket is readable; IO_STOP when the server is stopping. */
int conn_wait_readable(conn_t *c, uint32_t timeout_ms)
{
    if (conn_flush(c) != 0)
        return IO_ERROR; /* the client cannot have what we said: as a failed send */
    struct pollfd p[2] = {{.fd = c->fd, .events = POLLIN},
                          {.fd = c->srv->stop_pipe[0], .events = POLLIN}};
    uint64_t deadline = conn_mono_ms() + timeout_ms;
    for (;;) {
        uint64_t now = conn_mono_ms();
        int n = poll(p, 2, capture_tick(c, now, deadline));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return IO_ERROR;
        if (n == 0 && conn_mono_ms() < deadline)
            continue; /* the capture was due */
        if (n == 0)
            return IO_TIMEOUT;
        if (p[1].revents)
            return IO_STOP;
        return 1;
    }
}

/* One read from the client, recorded in the pcap: >0 bytes, or io_result. */
int conn_read_client(conn_t *c, uint8_t *buf, size_t len, uint32_t timeout_ms)
{
    if (c->fd < 0)
        return IO_ERROR;
    server_slot_reading(c->srv, c->slot, true);
    int w = conn_wait_readable(c, timeout_ms);
    ssize_t n = w > 0 ? recv(c->fd, buf, len, 0) : -1;
    int recv_errno = errno;
    server_slot_reading(c->srv, c->slot, false);
    if (w <= 0 && w != IO_EOF)
        return w;
    if (n >= 0 && server_slot_was_evicted(c->srv, c->slot)) {
        /* Our own shutdown (slot eviction), not the client's FIN; bytes
         * still arriving do not keep an evicted connection alive. */
        if (n > 0) {
            c->bytes_in += (uint64_t)n;
            pcapw_data(c->pcap, true, buf, (size_t)n);
        }
        c->ending = "server-evicted"; /* conn_fin_now() records our FIN */
        return IO_EOF;
    }
    if (n > 0) {
        c->bytes_in += (uint64_t)n;
        pcapw_data(c->pcap, true, buf, (size_t)n);
        impair_peer_spoke(&c->imp);
        return (int)n;
    }
    if (n == 0) {
        pcapw_fin(c->pcap, true);
        if (!c->ending)
            c->ending = "client-fin";
        return IO_EOF;
    }
    if (recv_errno == ECONNRESET) {
        pcapw_rst(c->pcap, true);
        if (!c->ending)
            c->ending = "client-reset";
    }
    return IO_ERROR;
}

/* One send of everything, each piece recorded in the pcap as it went. */
static int send_now(conn_t *c, const uint8_t *data, size_t len)
{
    while (len > 0) {
        if (c->fd < 0)
            return -1;
        ssize_t n = send(c->fd, data, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        pcapw_data(c->pcap, false, data, (size_t)n);
        c->bytes_out += (uint64_t)n;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

int conn_flush(conn_t *c)
{
    if (c->out_len == 0)
        return c->out_failed ? -1 : 0;
    int rc = send_now(c, c->out, c->out_len);
    c->out_len = 0;
    if (rc != 0)
        c->out_failed = true;
    return c->out_failed ? -1 : 0;
}

void conn_coalesce(conn_t *c, bool on)
{
    if (!on)
        (void)conn_flush(c);
    c->coalesce = on;
}

int conn_write_raw(void *ctx, const uint8_t *data, size_t len)
{
    conn_t *c = ctx;
    if (!c->coalesce)
        return send_now(c, data, len);
    if (c->out_failed || c->fd < 0)
        return -1;
    if (len > sizeof c->out - c->out_len && conn_flush(c) != 0)
        return -1;
    if (len > sizeof c->out)
        return send_now(c, data, len);
    memcpy(c->out + c->out_len, data, len);
    c->out_len += len;
    return 0;
}

/* Unregisters the descriptor from eviction before closing it. */
void conn_close_fd(conn_t *c)
{
    (void)conn_flush(c);
    server_slot_fd_closed(c->srv, c->slot);
    close(c->fd);
    c->fd = -1;
}

void conn_reset_now(conn_t *c)
{
    if (c->fd < 0)
        return;
    (void)conn_flush(c); /* what was said before the reset, as it was said */
    struct linger lg = {.l_onoff = 1, .l_linger = 0};
    setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    conn_close_fd(c);
    pcapw_rst(c->pcap, false);
    c->ending = "server-reset";
    capture_log_line(c->log, "tlsrig: TCP reset sent");
}

void conn_fin_now(conn_t *c)
{
    if (c->fd < 0)
        return;
    (void)conn_flush(c);
    shutdown(c->fd, SHUT_WR);
    pcapw_fin(c->pcap, false);
    if (!c->ending)
        c->ending = "server-fin";
}

/* Orderly close: our FIN, then read (and record) until the client's FIN so
 * close() never turns unread bytes into a reset. Bounded by DRAIN_MS. */
void conn_close_gracefully(conn_t *c, uint32_t drain_ms)
{
    if (c->fd < 0)
        return;
    conn_fin_now(c);
    uint8_t buf[4096];
    uint64_t end = conn_mono_ms() + drain_ms;
    for (uint64_t now = conn_mono_ms(); now < end; now = conn_mono_ms())
        if (conn_read_client(c, buf, sizeof buf, (uint32_t)(end - now)) <= 0)
            break;
    conn_close_fd(c);
}

int conn_pause(void *ctx, uint32_t ms, uint32_t *waited_ms, const char **why)
{
    conn_t *c = ctx;
    uint64_t start = conn_mono_ms(), end = start + ms;
    int rc = 0;
    *why = "";
    (void)conn_flush(c); /* the delay comes after what was sent before it */
    /* Only the end of the connection wakes us, not bytes from the client:
     * they wait in the socket for mbedTLS, as they would have while asleep. */
    struct pollfd p[2] = {{.fd = c->fd, .events = POLLRDHUP},
                          {.fd = c->srv->stop_pipe[0], .events = POLLIN}};
    if (c->fd < 0) {
        *why = "the connection was already closed";
        rc = -1;
        end = start;
    }
    for (uint64_t now = start; now < end; now = conn_mono_ms()) {
        int n = poll(p, 2, capture_tick(c, now, end));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            *why = "poll failed";
            rc = -1;
            break;
        }
        if (p[1].revents) {
            *why = "the server is stopping";
            rc = -1;
            break;
        }
        if (p[0].revents & (POLLERR | POLLHUP)) {
            *why = "the client reset the connection";
            if (!c->ending)
                c->ending = "client-reset";
            rc = -1;
            break;
        }
        if (p[0].revents & POLLRDHUP) {
            *why = "the client closed the connection";
            if (!c->ending)
                c->ending = "client-fin";
            rc = -1;
            break;
        }
    }
    *waited_ms = (uint32_t)(conn_mono_ms() - start);
    return rc;
}

void conn_abort_conn(void *ctx, bool reset)
{
    conn_t *c = ctx;
    if (reset)
        conn_reset_now(c);
    else
        conn_fin_now(c);
}
