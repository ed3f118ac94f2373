/* Paced link threads (paced_link.h). One mutex guards both rings and the
 * transmitter; condition variables on CLOCK_MONOTONIC wake each side at the
 * next byte's due time or when the other side made progress. */
#define _POSIX_C_SOURCE 200809L
#include "paced_link.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "fd_io.h"
#include "timed_ring.h"
#include "uart_tx.h"

static struct {
    int fd;
    pthread_mutex_t mu;
    pthread_cond_t tx_work;  /* TX ring got bytes */
    pthread_cond_t tx_space; /* TX ring drained */
    pthread_cond_t rx_work;  /* RX ring got bytes, or the host went away */
    pthread_cond_t rx_space; /* RX ring drained */
    uart_tx_t tx;
    line_pace_t rx;
    timed_ring_t tx_ring;
    timed_ring_t rx_ring;
    bool tx_failed;  /* the socket refused a write: the host is gone */
    bool tx_writing; /* the TX thread holds bytes taken from the ring */
    bool rx_ended;   /* EOF or error on the socket */
} g;

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static struct timespec to_timespec(uint64_t ns)
{
    struct timespec ts = {.tv_sec = (time_t)(ns / 1000000000ull),
                          .tv_nsec = (long)(ns % 1000000000ull)};
    return ts;
}

/* Waits on c until woken or until due_ns (UINT64_MAX: no deadline). */
static void wait_until(pthread_cond_t *c, uint64_t due_ns)
{
    if (due_ns == UINT64_MAX) {
        pthread_cond_wait(c, &g.mu);
    } else {
        struct timespec ts = to_timespec(due_ns);
        pthread_cond_timedwait(c, &g.mu, &ts);
    }
}

/* Moves the agent's bytes to the socket at their due times. */
static void *tx_thread(void *arg)
{
    (void)arg;
    static uint8_t chunk[TIMED_RING_CAP];
    pthread_mutex_lock(&g.mu);
    while (!g.tx_failed) {
        size_t n = timed_ring_take_due(&g.tx_ring, now_ns(), chunk, sizeof chunk);
        if (n == 0) {
            wait_until(&g.tx_work, timed_ring_next_due(&g.tx_ring));
            continue;
        }
        g.tx_writing = true;
        pthread_cond_broadcast(&g.tx_space);
        pthread_mutex_unlock(&g.mu);
        int w = fd_write_all(g.fd, chunk, n);
        pthread_mutex_lock(&g.mu);
        g.tx_writing = false;
        g.tx_failed = w != 0;
        pthread_cond_broadcast(&g.tx_space);
    }
    pthread_mutex_unlock(&g.mu);
    return NULL;
}

/* Stamps the host's bytes as they arrive and queues them for the agent at
 * line rate plus the turnaround. A full ring stops reading (backpressure). */
static void *rx_thread(void *arg)
{
    (void)arg;
    static uint8_t chunk[1024];
    for (;;) {
        ssize_t n = read(g.fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        uint64_t arrived = now_ns();
        pthread_mutex_lock(&g.mu);
        if (n <= 0) {
            g.rx_ended = true;
            pthread_cond_broadcast(&g.rx_work);
            pthread_mutex_unlock(&g.mu);
            return NULL;
        }
        for (ssize_t i = 0; i < n; i++) {
            while (timed_ring_full(&g.rx_ring)) {
                pthread_cond_wait(&g.rx_space, &g.mu);
            }
            /* A byte waiting for ring space was still on the wire at arrival. */
            (void)timed_ring_push(&g.rx_ring, chunk[i], line_pace_deliver(&g.rx, arrived));
        }
        pthread_cond_broadcast(&g.rx_work);
        pthread_mutex_unlock(&g.mu);
    }
}

int paced_link_start(int fd, uint32_t baud, uint32_t turnaround_ms)
{
    if (uart_tx_init(&g.tx, baud, turnaround_ms, PACED_LINK_TX_FIFO) != 0 ||
        line_pace_init(&g.rx, baud, turnaround_ms) != 0) {
        fprintf(stderr, "tlsrig-agent-sim: line %u baud, turnaround %u ms: out of range\n", baud,
                turnaround_ms);
        return -1;
    }
    g.fd = fd;
    timed_ring_init(&g.tx_ring);
    timed_ring_init(&g.rx_ring);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&g.mu, NULL);
    pthread_cond_init(&g.tx_work, &ca);
    pthread_cond_init(&g.tx_space, &ca);
    pthread_cond_init(&g.rx_work, &ca);
    pthread_cond_init(&g.rx_space, &ca);
    pthread_condattr_destroy(&ca);
    pthread_t t;
    if (pthread_create(&t, NULL, tx_thread, NULL) != 0 || pthread_detach(t) != 0 ||
        pthread_create(&t, NULL, rx_thread, NULL) != 0 || pthread_detach(t) != 0) {
        fprintf(stderr, "tlsrig-agent-sim: cannot start the paced link's threads\n");
        return -1;
    }
    return 0;
}

int paced_link_write(const uint8_t *buf, size_t len)
{
    int rc = 0;
    pthread_mutex_lock(&g.mu);
    /* The agent is blocked in this call from its start: each byte enters the
     * FIFO at the moment there is room (virtual time), however late this
     * thread wakes, so scheduling jitter never leaves gaps on the line. */
    uint64_t at = now_ns();
    for (size_t i = 0; i < len && rc == 0; i++) {
        while (timed_ring_full(&g.tx_ring) && !g.tx_failed) {
            pthread_cond_wait(&g.tx_space, &g.mu);
        }
        if (g.tx_failed) {
            rc = -1;
            break;
        }
        at = uart_tx_ready_at(&g.tx, at);
        (void)timed_ring_push(&g.tx_ring, buf[i], uart_tx_put(&g.tx, at));
        pthread_cond_signal(&g.tx_work);
    }
    pthread_mutex_unlock(&g.mu);
    /* Return when the last byte is in the FIFO, as a polling driver would. */
    struct timespec until = to_timespec(at);
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL) == EINTR) {
    }
    return rc;
}

int paced_link_read(uint8_t *buf, size_t cap, uint32_t timeout_ms)
{
    uint64_t deadline = now_ns() + (uint64_t)timeout_ms * 1000000ull;
    int n = 0;
    pthread_mutex_lock(&g.mu);
    for (;;) {
        uint64_t now = now_ns();
        size_t got = timed_ring_take_due(&g.rx_ring, now, buf, cap);
        if (got > 0) {
            pthread_cond_broadcast(&g.rx_space);
            n = (int)got;
            break;
        }
        if (g.rx_ended && g.rx_ring.count == 0) {
            n = -1; /* the host is gone */
            break;
        }
        if (now >= deadline) {
            break;
        }
        uint64_t due = timed_ring_next_due(&g.rx_ring);
        wait_until(&g.rx_work, due < deadline ? due : deadline);
    }
    pthread_mutex_unlock(&g.mu);
    return n;
}

void paced_link_flush(void)
{
    pthread_mutex_lock(&g.mu);
    while ((g.tx_ring.count > 0 || g.tx_writing) && !g.tx_failed) {
        pthread_cond_wait(&g.tx_space, &g.mu);
    }
    pthread_mutex_unlock(&g.mu);
}
