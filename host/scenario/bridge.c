#define _POSIX_C_SOURCE 200809L
#include "bridge.h"
#include "infra_classify.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "proto.h"
#include "quiet_gate.h"
#include "result_decode.h"
#include "tlv.h"

/* How often the target's liveness is checked while records flow. */
#define ALIVE_EVERY_MS 20u
/* How often the target's log is flushed while records flow. */
#define LOG_FLUSH_MS 50u

uint64_t realtime_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

typedef struct bridge {
    bridge_target_t *t;
    uint16_t port;
    int tcp;      /* -1 when not connected */
    unsigned gen; /* changes whenever tcp is closed or opened */
    FILE *log;
    uint32_t log_flushed_at; /* host_now_ms() of the last flush */
    bridge_outcome_t *out;
    bool accepted;
    bool done;
} bridge_t;

static int tcp_connect(uint16_t port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -1;
    }
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    int one = 1;
    (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

static void tcp_close(bridge_t *b)
{
    if (b->tcp >= 0) {
        close(b->tcp);
        b->tcp = -1;
        b->gen++;
    }
}

static void on_tunnel(bridge_t *b, const host_msg_t *m)
{
    host_link_t *hl = b->t->link;
    switch (m->type) {
    case TUN_OPEN:
        b->out->tunnel_opened = true;
        tcp_close(b);
        b->tcp = b->port ? tcp_connect(b->port) : -1; /* 0: the server never started */
        b->gen++;
        host_link_send(hl, LINK_CH_TUNNEL, b->tcp >= 0 ? TUN_OPENED : TUN_RESET, NULL, 0);
        break;
    case TUN_DATA: {
        size_t off = 0;
        while (b->tcp >= 0 && off < m->len) {
            ssize_t n = send(b->tcp, m->payload + off, m->len - off, MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                tcp_close(b);
                host_link_send(hl, LINK_CH_TUNNEL, TUN_RESET, NULL, 0);
                break;
            }
            off += (size_t)n;
        }
        break;
    }
    case TUN_CLOSE:
        /* The connection is over: until the next one is under way, background work waits. */
        quiet_gate_close();
        tcp_close(b);
        break;
    default:
        break;
    }
}

static void log_sink(void *ctx, const char *text, size_t len)
{
    FILE *log = ctx;
    if (log) {
        fwrite(text, 1, len, log);
    }
}

/* A LOG message: text as is, compact records rendered; a record the decoder
 * could not place asks the agent for a new table (LOG_RESYNC, best effort). */
static void on_log(bridge_target_t *t, FILE *log, const host_msg_t *m)
{
    if (!t->log_decoder || (t->log_records && m->type == LOG_TEXT)) {
        log_sink(log, (const char *)m->payload, m->len);
        return;
    }
    log_decoder_feed(t->log_decoder, m->type, m->payload, m->len, log_sink,
                     t->log_records ? t->log_records : log);
    if (log_decoder_take_resync(t->log_decoder)) {
        (void)host_link_send(t->link, LINK_CH_LOG, LOG_RESYNC, NULL, 0);
    }
}

static void on_message(bridge_t *b, host_msg_t *m)
{
    switch (m->channel) {
    case LINK_CH_LOG:
        on_log(b->t, b->log, m);
        if (b->log) {
            /* A flush per record cost a write(2) for each of a handshake's
             * hundreds; every LOG_FLUSH_MS keeps what a crash of the host
             * could lose (and a `tail -f`) that recent, and the end of
             * bridge_run flushes the rest. */
            uint32_t now = host_now_ms();
            if (now - b->log_flushed_at >= LOG_FLUSH_MS) {
                fflush(b->log);
                b->log_flushed_at = now;
            }
        }
        break;
    case LINK_CH_TUNNEL:
        on_tunnel(b, m);
        break;
    case LINK_CH_RESULT:
        if (m->type == RES_HANDSHAKE) {
            b->out->result = result_decode(m->payload, m->len);
            if (!b->out->result) {
                snprintf(b->out->infra, sizeof b->out->infra, "malformed RESULT from the agent");
                b->out->infra_cause = INFRA_LINK_ERROR;
            }
            b->done = true;
        }
        break;
    case LINK_CH_CTRL:
        if (m->type == (CTRL_HANDSHAKE | CTRL_RESPONSE)) {
            tlv_item_t it;
            uint8_t st = 0xFF;
            if (tlv_find(m->payload, m->len, T_STATUS, &it)) {
                tlv_get_u8(&it, &st);
            }
            if (st != ST_OK) {
                char detail[128] = "";
                if (tlv_find(m->payload, m->len, T_TEXT, &it)) {
                    (void)tlv_get_str(&it, detail, sizeof detail);
                }
                snprintf(b->out->infra, sizeof b->out->infra,
                         "agent refused the handshake request (status %u%s%s)", st,
                         detail[0] ? ": " : "", detail);
                b->out->infra_cause = INFRA_HOST_ERROR;
                b->done = true;
            }
            b->accepted = true;
        }
        break;
    default:
        break;
    }
}

static void pump_tcp(bridge_t *b)
{
    uint8_t buf[LINK_MAX_PAYLOAD];
    ssize_t n = recv(b->tcp, buf, sizeof buf, 0);
    host_link_t *hl = b->t->link;
    if (n > 0) {
        quiet_gate_open(); /* the server answered: the handshake is under way */
        host_link_send(hl, LINK_CH_TUNNEL, TUN_DATA, buf, (size_t)n);
    } else if (n == 0) {
        /* After the agent took the data: it handles that data before it learns of the FIN. */
        host_link_send_after_acked(hl, LINK_CH_TUNNEL, TUN_CLOSE, NULL, 0);
        tcp_close(b);
    } else if (errno != EINTR && errno != EAGAIN) {
        /* ECONNRESET: the server reset us; the client must see exactly that. */
        host_link_send_after_acked(hl, LINK_CH_TUNNEL, errno == ECONNRESET ? TUN_RESET : TUN_CLOSE,
                                   NULL, 0);
        tcp_close(b);
    }
}

static link_stats_t stats_delta(link_stats_t a, link_stats_t b)
{
    link_stats_t d = {0};
    d.frames_tx = b.frames_tx - a.frames_tx;
    d.frames_rx = b.frames_rx - a.frames_rx;
    d.bytes_tx = b.bytes_tx - a.bytes_tx;
    d.bytes_rx = b.bytes_rx - a.bytes_rx;
    d.crc_errors = b.crc_errors - a.crc_errors;
    d.resyncs = b.resyncs - a.resyncs;
    d.log_dropped = b.log_dropped - a.log_dropped;
    d.retransmits = b.retransmits - a.retransmits;
    d.duplicates = b.duplicates - a.duplicates;
    d.gave_up = b.gave_up - a.gave_up;
    d.seq_skipped = b.seq_skipped - a.seq_skipped;
    return d;
}

void bridge_begin(bridge_target_t *t, const uint8_t *request, size_t len, bridge_outcome_t *out)
{
    memset(out, 0, sizeof *out);
    host_link_t *hl = t->link;
    out->link_before = hl->link.stats;
    if (t->log_decoder) {
        out->log_before = t->log_decoder->stats;
    }
    out->started_us = realtime_us();
    out->start_ms = host_now_ms();
    host_link_send(hl, LINK_CH_CTRL, CTRL_HANDSHAKE, request, len);
}

void bridge_continue(bridge_target_t *t, uint16_t server_port, FILE *log, uint32_t timeout_ms,
                     volatile const bool *interrupted, bridge_outcome_t *out)
{
    bridge_t b = {.t = t, .port = server_port, .tcp = -1, .log = log, .out = out};
    host_link_t *hl = t->link;
    link_stats_t before = out->link_before;
    log_dec_stats_t log_before = out->log_before;
    uint32_t start = out->start_ms, alive_at = host_now_ms();
    b.log_flushed_at = alive_at;

    while (!b.done) {
        struct pollfd p[2] = {{.fd = hl->fd, .events = POLLIN}, {.fd = b.tcp, .events = POLLIN}};
        int np = b.tcp >= 0 ? 2 : 1;
        int r = poll(p, (nfds_t)np, host_link_wait_ms(hl, 10));
        if (r > 0 && (p[0].revents & (POLLIN | POLLHUP | POLLERR))) {
            host_link_on_readable(hl);
        } else {
            host_link_service(hl);
        }
        host_msg_t *m;
        unsigned gen = b.gen;
        while ((m = host_link_pop(hl)) != NULL) {
            on_message(&b, m);
            free(m);
        }
        if (b.done) {
            break;
        }
        /* The poll saw the socket as it was: after the agent's close and a new TUN_OPEN
         * (a resumption's second connection, often on the same fd number) its events are
         * the old connection's, and a recv on the new one would block. */
        if (np == 2 && r > 0 && gen == b.gen && (p[1].revents & (POLLIN | POLLHUP | POLLERR))) {
            pump_tcp(&b);
        }
        /* The target's liveness (a wait4 or a poll) every ALIVE_EVERY_MS,
         * or at once when the link reports a hang-up, not every record. */
        bool hangup = r > 0 && (p[0].revents & (POLLHUP | POLLERR));
        uint32_t now = host_now_ms();
        bool check = hangup || now - alive_at >= ALIVE_EVERY_MS;
        if (check) {
            alive_at = now;
        }
        char why[256];
        if (check && !t->flasher->alive(t->handle, why, sizeof why)) {
            snprintf(out->infra, sizeof out->infra, "%s during the handshake", why);
            out->infra_cause = infra_classify_stopped(t->handle);
            out->target_died = true;
            break;
        }
        if (host_link_dead(hl)) {
            char what[160];
            snprintf(out->infra, sizeof out->infra, "link lost during the handshake (%s)",
                     host_link_error_text(hl, what, sizeof what));
            out->infra_cause = INFRA_LINK_ERROR;
            out->target_died = true;
            break;
        }
        if (host_now_ms() - start > timeout_ms) {
            snprintf(out->infra, sizeof out->infra,
                     "no RESULT within %u ms: the agent hung or the link stalled", timeout_ms);
            out->infra_cause = INFRA_AGENT_HANG;
            out->target_died = true;
            break;
        }
        if (interrupted && *interrupted) {
            snprintf(out->infra, sizeof out->infra, "interrupted by the user");
            out->infra_cause = INFRA_HOST_ERROR;
            out->target_died = true;
            break;
        }
    }
    tcp_close(&b);
    /* Let what is still queued for the agent (the end of the server's bytes,
     * a close) reach it now: otherwise it would arrive during the next
     * scenario and be taken for that connection's close. Bounded. */
    uint32_t drain_start = host_now_ms();
    while (!out->target_died && !host_link_idle(hl) && !host_link_dead(hl) &&
           host_now_ms() - drain_start < 2000u) {
        host_link_pump(hl, 10);
        host_msg_t *m;
        while ((m = host_link_pop(hl)) != NULL) {
            if (m->channel == LINK_CH_LOG) {
                on_log(t, log, m);
            }
            free(m);
        }
    }
    if (log) {
        fflush(log); /* the caller checks the stream's error state */
    }
    out->ended_us = realtime_us();
    out->link_delta = stats_delta(before, hl->link.stats);
    if (t->log_decoder) {
        const log_dec_stats_t *now = &t->log_decoder->stats;
        out->log_delta.wire_bytes = now->wire_bytes - log_before.wire_bytes;
        out->log_delta.text_bytes = now->text_bytes - log_before.text_bytes;
        out->log_delta.records = now->records - log_before.records;
        out->log_delta.undecoded = now->undecoded - log_before.undecoded;
        out->log_delta.tables = now->tables - log_before.tables;
    }
    if (!out->infra[0] && (out->link_delta.crc_errors || out->link_delta.resyncs ||
                           out->link_delta.gave_up || out->link_delta.seq_skipped)) {
        snprintf(out->infra, sizeof out->infra,
                 "link damaged during the handshake: %u CRC errors, %u resyncs, %u abandoned, "
                 "%u skipped",
                 out->link_delta.crc_errors, out->link_delta.resyncs, out->link_delta.gave_up,
                 out->link_delta.seq_skipped);
        out->infra_cause = INFRA_LINK_ERROR;
    }
}
