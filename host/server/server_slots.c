/* Connection slots: who may hold a connection thread, and who is evicted
 * when the pools are full (see server_internal.h). Eviction shuts the
 * socket down (both directions): the owning thread wakes from its poll,
 * reads EOF, records the eviction and ends; only the owner ever closes the
 * descriptor, and it unregisters it first, so a shutdown never reaches a
 * reused descriptor. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <sys/socket.h>
#include <time.h>

#include "server_internal.h"

uint64_t server_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void evict(tls_server_t *s, server_slot_t *v)
{
    v->evicted = true;
    s->evictions++;
    if (v->phase == PHASE_BUSY)
        s->n_evicting_busy++;
    else
        s->n_evicting_pending++;
    if (v->fd >= 0)
        shutdown(v->fd, SHUT_RDWR);
}

/* The live, not yet evicted connection of `phase` idle the longest. */
static server_slot_t *idlest(tls_server_t *s, server_phase_t phase)
{
    server_slot_t *best = NULL;
    for (server_slot_t *v = s->slots; v; v = v->next)
        if (v->phase == phase && !v->evicted && v->fd >= 0 &&
            (v->reading || phase == PHASE_PENDING) && (!best || v->last_ms < best->last_ms))
            best = v;
    return best;
}

bool server_slot_admit(tls_server_t *s, server_slot_t *slot, char *label, size_t label_len)
{
    pthread_mutex_lock(&s->mu);
    while (s->n_pending >= SERVER_MAX_PENDING && !s->stopping) {
        /* One eviction at a time: the evicted thread leaves promptly. */
        server_slot_t *v = s->n_evicting_pending ? NULL : idlest(s, PHASE_PENDING);
        if (v)
            evict(s, v);
        /* The evicted thread releases its slot at once and signals. */
        pthread_cond_wait(&s->cond, &s->mu);
    }
    bool ok = !s->stopping;
    if (ok) {
        slot->phase = PHASE_PENDING;
        slot->last_ms = server_mono_ms();
        slot->evicted = slot->waiting = slot->reading = false;
        slot->next = s->slots;
        s->slots = slot;
        s->n_pending++;
        s->active++;
        snprintf(label, label_len, "%s", s->label);
    }
    pthread_mutex_unlock(&s->mu);
    return ok;
}

void server_slot_reading(tls_server_t *s, server_slot_t *slot, bool reading)
{
    pthread_mutex_lock(&s->mu);
    if (reading && !slot->reading) {
        slot->last_ms = server_mono_ms();
        /* A busy connection waiting for its client may become evictable:
         * waiters re-check (they sleep without a deadline otherwise). */
        if (slot->phase == PHASE_BUSY && s->n_waiting)
            pthread_cond_broadcast(&s->cond);
    }
    slot->reading = reading;
    pthread_mutex_unlock(&s->mu);
}

void server_slot_fd_closed(tls_server_t *s, server_slot_t *slot)
{
    pthread_mutex_lock(&s->mu);
    slot->fd = -1;
    pthread_mutex_unlock(&s->mu);
}

bool server_slot_was_evicted(tls_server_t *s, server_slot_t *slot)
{
    pthread_mutex_lock(&s->mu);
    bool e = slot->evicted;
    pthread_mutex_unlock(&s->mu);
    return e;
}

/* Deadline for a wait of `ms` on the server's CLOCK_MONOTONIC condition. */
static struct timespec after_ms(uint64_t ms)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    t.tv_sec += (time_t)(ms / 1000);
    t.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    return t;
}

/* True when no live waiter arrived after `slot`. */
static bool newest_waiter(const tls_server_t *s, const server_slot_t *slot)
{
    for (const server_slot_t *v = s->slots; v; v = v->next)
        if (v->waiting && !v->evicted && v->wait_seq > slot->wait_seq)
            return false;
    return true;
}

bool server_slot_promote(tls_server_t *s, server_slot_t *slot)
{
    pthread_mutex_lock(&s->mu);
    slot->waiting = true;
    slot->wait_seq = ++s->wait_seq;
    s->n_waiting++;
    while (!s->stopping && !slot->evicted &&
           (s->n_busy >= SERVER_MAX_CONNS || !newest_waiter(s, slot))) {
        if (s->n_busy < SERVER_MAX_CONNS) {
            /* A slot is free and a newer waiter takes it first. */
            pthread_cond_wait(&s->cond, &s->mu);
            continue;
        }
        /* One eviction in flight per waiting connection, no more. */
        server_slot_t *v = s->n_evicting_busy < s->n_waiting ? idlest(s, PHASE_BUSY) : NULL;
        uint64_t now = server_mono_ms();
        if (v && now - v->last_ms >= SERVER_EVICT_IDLE_MS) {
            evict(s, v);
            pthread_cond_wait(&s->cond, &s->mu);
        } else if (v) {
            struct timespec t = after_ms(SERVER_EVICT_IDLE_MS - (now - v->last_ms));
            pthread_cond_timedwait(&s->cond, &s->mu, &t);
        } else {
            pthread_cond_wait(&s->cond, &s->mu);
        }
    }
    slot->waiting = false;
    s->n_waiting--;
    bool ok = !s->stopping && !slot->evicted;
    if (ok) {
        s->n_pending--;
        s->n_busy++;
        slot->phase = PHASE_BUSY;
    }
    /* A pending place is free, or the next waiter is now the newest. */
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&s->mu);
    return ok;
}

void server_slot_release(tls_server_t *s, server_slot_t *slot)
{
    pthread_mutex_lock(&s->mu);
    for (server_slot_t **pp = &s->slots; *pp; pp = &(*pp)->next) {
        if (*pp == slot) {
            *pp = slot->next;
            break;
        }
    }
    if (slot->phase == PHASE_BUSY) {
        s->n_busy--;
        if (slot->evicted)
            s->n_evicting_busy--;
    } else {
        s->n_pending--;
        if (slot->evicted)
            s->n_evicting_pending--;
    }
    slot->fd = -1;
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&s->mu);
}
