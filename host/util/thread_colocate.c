/* thread_colocate.h */
#define _GNU_SOURCE /* sched_getcpu, CPU_* and pthread_*affinity_np */
#include "thread_colocate.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(sizeof(cpu_set_t) <= sizeof(((thread_colocation_t *)0)->saved),
               "thread_colocation_t.saved holds a cpu_set_t");

static atomic_int g_cpu = -1;

static bool disabled(void)
{
    const char *v = getenv("TLSRIG_NO_COLOCATE");
    return v && v[0] && strcmp(v, "0") != 0;
}

void thread_colocate_begin(thread_colocation_t *c)
{
    memset(c, 0, sizeof *c);
    c->cpu = -1;
    cpu_set_t before;
    if (disabled() || pthread_getaffinity_np(pthread_self(), sizeof before, &before) != 0 ||
        CPU_COUNT(&before) < 2) {
        return;
    }
    /* One CPU for the process's whole life: the one its first scenario's relay ran on. */
    int cpu = atomic_load(&g_cpu);
    if (cpu < 0) {
        int mine = sched_getcpu();
        cpu = atomic_compare_exchange_strong(&g_cpu, &cpu, mine) ? mine : cpu;
    }
    if (cpu < 0 || cpu >= CPU_SETSIZE || !CPU_ISSET(cpu, &before)) {
        return;
    }
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    if (pthread_setaffinity_np(pthread_self(), sizeof one, &one) != 0) {
        return;
    }
    memcpy(c->saved, &before, sizeof before);
    c->pinned = true;
    c->cpu = cpu;
}

void thread_colocate_end(thread_colocation_t *c)
{
    if (!c->pinned) {
        return;
    }
    cpu_set_t before;
    memcpy(&before, c->saved, sizeof before);
    (void)pthread_setaffinity_np(pthread_self(), sizeof before, &before);
    c->pinned = false;
    c->cpu = -1;
}
