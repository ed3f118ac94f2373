#define _POSIX_C_SOURCE 200809L
#include "host_link.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* A target busy in a long computation (an RSA-4096 chain on an emulated
 * Cortex-M under load) does not read its link: 250 ms between retransmits,
 * 120 tries (30 s) before the host declares the link lost. A dead target is
 * noticed sooner by its flasher (process exit) or the scenario timeout. */
#define HOST_RETRANSMIT_MS 250u
/* Below the agent's 200 ms retransmission timeout, above the server's think
 * time between two flights on the sim (link_set_ack_delay). */
#define HOST_ACK_DELAY_MS 10u
#define HOST_MAX_RETRIES 120u

uint32_t host_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint32_t)((uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u);
}

/* The first error wins: it is the cause, later ones are consequences. */
static void set_error(host_link_t *hl, host_link_error_t e, int err)
{
    if (hl->error == HOST_LINK_OK) {
        hl->error = e;
        hl->error_errno = err;
    }
    if (e == HOST_LINK_EGAVEUP) {
        hl->gave_up = true;
    } else {
        hl->eof = true;
    }
}

/* All of buf, or -1 with the reason in hl->error. A full transport (EAGAIN) is
 * waited for, but only until write_deadline_ms: a target that stopped reading
 * must not hang the host. */
static int fd_write(void *ctx, const uint8_t *buf, size_t len)
{
    host_link_t *hl = ctx;
    uint32_t start = host_now_ms();
    while (len > 0) {
        ssize_t n = write(hl->fd, buf, len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            uint32_t waited = host_now_ms() - start;
            if (waited >= hl->write_deadline_ms) {
                set_error(hl, HOST_LINK_ESTALLED, EAGAIN);
                return -1;
            }
            struct pollfd p = {.fd = hl->fd, .events = POLLOUT};
            (void)poll(&p, 1, (int)(hl->write_deadline_ms - waited));
            continue;
        }
        if (n < 0) {
            set_error(hl, HOST_LINK_EWRITE, errno);
            return -1;
        }
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

static host_msg_t *msg_new(host_link_t *hl, uint8_t channel, uint8_t type, const void *payload,
                           size_t len)
{
    host_msg_t *m = hl->alloc(sizeof *m + len + 1u);
    if (!m) {
        return NULL;
    }
    m->channel = channel;
    m->type = type;
    m->len = len;
    m->after_acked = false;
    m->next = NULL;
    if (len > 0) {
        memcpy(m->payload, payload, len);
    }
    m->payload[len] = 0;
    return m;
}

static void queue_push(host_msg_queue_t *q, host_msg_t *m)
{
    if (q->tail) {
        q->tail->next = m;
    } else {
        q->head = m;
    }
    q->tail = m;
    q->count++;
}

static host_msg_t *queue_pop(host_msg_queue_t *q)
{
    host_msg_t *m = q->head;
    if (m) {
        q->head = m->next;
        if (!q->head) {
            q->tail = NULL;
        }
        m->next = NULL;
        q->count--;
    }
    return m;
}

static void queue_free(host_msg_queue_t *q)
{
    host_msg_t *m;
    while ((m = queue_pop(q)) != NULL) {
        free(m);
    }
}

/* Out of memory: refuse, so the link does not ack and the target sends the
 * message again (a LOG message is counted as dropped). */
static bool deliver(void *ctx, uint8_t channel, uint8_t type, const uint8_t *payload, size_t len)
{
    host_link_t *hl = ctx;
    host_msg_t *m = msg_new(hl, channel, type, payload, len);
    if (!m) {
        return false;
    }
    queue_push(&hl->rx, m);
    return true;
}

void host_link_init(host_link_t *hl, int fd)
{
    memset(hl, 0, sizeof *hl);
    hl->fd = fd;
    hl->write_deadline_ms = HOST_LINK_WRITE_DEADLINE_MS;
    hl->alloc = malloc;
    int flags = fd >= 0 ? fcntl(fd, F_GETFL) : -1;
    if (flags >= 0 && fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) {
        set_error(hl, HOST_LINK_EWRITE, errno); /* writes could block forever */
    }
    link_ops_t ops = {.write = fd_write, .deliver = deliver, .ctx = hl};
    link_init(&hl->link, &ops, HOST_RETRANSMIT_MS, HOST_MAX_RETRIES);
    (void)host_link_set_line(hl, 0, LINK_TURNAROUND_MS); /* cannot fail: nothing in flight */
}

int host_link_set_line(host_link_t *hl, uint32_t baud, uint32_t turnaround_ms)
{
    uint8_t w = link_window_for(baud, turnaround_ms, LINK_MAX_ENCODED, HOST_LINK_WINDOW_MAX);
    size_t n = sizeof hl->tunnel_slots / sizeof hl->tunnel_slots[0];
    return link_set_window(&hl->link, LINK_CH_TUNNEL, w, hl->tunnel_slots, n) == LINK_OK ? 0 : -1;
}

void host_link_set_ack_delay(host_link_t *hl, bool on)
{
    (void)link_set_ack_delay(&hl->link, on ? (uint8_t)(1u << LINK_CH_TUNNEL) : 0u,
                             HOST_ACK_DELAY_MS);
}

void host_link_free(host_link_t *hl)
{
    queue_free(&hl->rx);
    for (int c = 0; c < LINK_CH_COUNT; c++) {
        queue_free(&hl->tx[c]);
    }
}

static int queue_send(host_link_t *hl, uint8_t channel, uint8_t type, const void *payload,
                      size_t len, bool after_acked)
{
    if (channel >= LINK_CH_COUNT || type == LINK_TYPE_ACK || type > LINK_TYPE_MAX ||
        len > LINK_MAX_PAYLOAD || (len > 0 && payload == NULL) || host_link_dead(hl)) {
        return -1;
    }
    if (channel == LINK_CH_LOG) {
        return link_send(&hl->link, channel, type, payload, len, host_now_ms()) == LINK_OK ? 0 : -1;
    }
    host_msg_t *m = msg_new(hl, channel, type, payload, len);
    if (!m) {
        return -1;
    }
    m->after_acked = after_acked;
    queue_push(&hl->tx[channel], m);
    host_link_service(hl);
    return 0;
}

int host_link_send(host_link_t *hl, uint8_t channel, uint8_t type, const void *payload, size_t len)
{
    return queue_send(hl, channel, type, payload, len, false);
}

int host_link_send_after_acked(host_link_t *hl, uint8_t channel, uint8_t type, const void *payload,
                               size_t len)
{
    return queue_send(hl, channel, type, payload, len, true);
}

void host_link_service(host_link_t *hl)
{
    if (link_poll(&hl->link, host_now_ms()) == LINK_EGAVEUP) {
        set_error(hl, HOST_LINK_EGAVEUP, 0);
    }
    /* As many as the window takes: several frames in flight keep the line busy. */
    for (uint8_t c = 0; c < LINK_CH_COUNT; c++) {
        while (!host_link_dead(hl) && hl->tx[c].head && link_can_send(&hl->link, c)) {
            host_msg_t *m = hl->tx[c].head;
            if (m->after_acked && !link_all_acked(&hl->link, c)) {
                break; /* the next ack lets it go */
            }
            if (link_send(&hl->link, c, m->type, m->payload, m->len, host_now_ms()) != LINK_OK) {
                /* Arguments were checked when queued: only the write can fail,
                 * and fd_write already recorded the precise cause. */
                set_error(hl, HOST_LINK_EWRITE, 0);
                break; /* the message stays queued; host_link_free releases it */
            }
            free(queue_pop(&hl->tx[c]));
        }
    }
}

void host_link_on_readable(host_link_t *hl)
{
    uint8_t buf[4096];
    ssize_t n = read(hl->fd, buf, sizeof buf);
    if (n == 0) {
        set_error(hl, HOST_LINK_EOF, 0);
    } else if (n < 0 && errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) {
        set_error(hl, HOST_LINK_EREAD, errno);
    } else if (n > 0) {
        link_rx(&hl->link, buf, (size_t)n, host_now_ms());
    }
    host_link_service(hl);
}

void host_link_pump(host_link_t *hl, int timeout_ms)
{
    struct pollfd p = {.fd = hl->fd, .events = POLLIN};
    if (!hl->eof && poll(&p, 1, host_link_wait_ms(hl, timeout_ms)) > 0) {
        host_link_on_readable(hl);
    } else {
        host_link_service(hl);
    }
}

int host_link_wait_ms(const host_link_t *hl, int timeout_ms)
{
    uint32_t ack = link_ack_wait_ms(&hl->link, host_now_ms());
    return timeout_ms < 0 || ack < (uint32_t)timeout_ms ? (ack > INT32_MAX ? -1 : (int)ack)
                                                        : timeout_ms;
}

host_msg_t *host_link_pop(host_link_t *hl)
{
    return queue_pop(&hl->rx);
}

bool host_link_idle(const host_link_t *hl)
{
    for (int c = 0; c < LINK_CH_COUNT; c++) {
        if (hl->tx[c].head || !link_all_acked(&hl->link, (uint8_t)c)) {
            return false;
        }
    }
    return true;
}

bool host_link_dead(const host_link_t *hl)
{
    return hl->error != HOST_LINK_OK || hl->eof || hl->gave_up;
}

link_stats_t host_link_stats(const host_link_t *hl)
{
    return hl->link.stats;
}

const char *host_link_error_text(const host_link_t *hl, char *buf, size_t cap)
{
    switch (hl->error) {
    case HOST_LINK_OK:
        snprintf(buf, cap, "%s", hl->eof ? "target closed the link" : "");
        break;
    case HOST_LINK_EOF:
        snprintf(buf, cap, "target closed the link");
        break;
    case HOST_LINK_EREAD:
        snprintf(buf, cap, "read from the target failed: %s", strerror(hl->error_errno));
        break;
    case HOST_LINK_EWRITE:
        snprintf(buf, cap, "write to the target failed%s%s", hl->error_errno ? ": " : "",
                 hl->error_errno ? strerror(hl->error_errno) : "");
        break;
    case HOST_LINK_ESTALLED:
        snprintf(buf, cap,
                 "write to the target stalled for %u ms (transport full: the target "
                 "is not reading)",
                 hl->write_deadline_ms);
        break;
    case HOST_LINK_EGAVEUP:
        snprintf(buf, cap, "retries exhausted: the target did not acknowledge a message");
        break;
    }
    return buf;
}
