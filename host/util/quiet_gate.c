/* quiet_gate.h */
#define _POSIX_C_SOURCE 200809L
#include "quiet_gate.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <time.h>

static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_opened; /* on CLOCK_MONOTONIC: a clock step does not stretch a wait */
static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static bool g_closed;

static void init_cond(void)
{
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&g_opened, &ca);
    pthread_condattr_destroy(&ca);
}

void quiet_gate_close(void)
{
    pthread_mutex_lock(&g_mu);
    g_closed = true;
    pthread_mutex_unlock(&g_mu);
}

void quiet_gate_open(void)
{
    pthread_once(&g_once, init_cond);
    pthread_mutex_lock(&g_mu);
    if (g_closed) {
        g_closed = false;
        pthread_cond_broadcast(&g_opened);
    }
    pthread_mutex_unlock(&g_mu);
}

void quiet_gate_wait(unsigned max_ms)
{
    pthread_once(&g_once, init_cond);
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += max_ms / 1000u;
    until.tv_nsec += (long)(max_ms % 1000u) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&g_mu);
    while (g_closed) {
        if (pthread_cond_timedwait(&g_opened, &g_mu, &until) == ETIMEDOUT) {
            break;
        }
    }
    pthread_mutex_unlock(&g_mu);
}

bool quiet_gate_is_open(void)
{
    pthread_mutex_lock(&g_mu);
    bool open = !g_closed;
    pthread_mutex_unlock(&g_mu);
    return open;
}
