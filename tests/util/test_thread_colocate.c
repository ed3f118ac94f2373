/* issue 16: the relay and the server on one CPU (thread_colocate.h). begin pins the caller to
 * the process's one chosen CPU, threads created in the window inherit the pin, end gives the
 * caller its mask back, and TLSRIG_NO_COLOCATE or a single allowed CPU leave masks alone.
 * Each test runs in its own process (Criterion's default), so each chooses afresh. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>

#include "thread_colocate.h"

static cpu_set_t mask_of(pthread_t t)
{
    cpu_set_t m;
    CPU_ZERO(&m);
    cr_assert_eq(pthread_getaffinity_np(t, sizeof m, &m), 0);
    return m;
}

/* The CPUs this test may use; skipped below two (nothing to co-locate). */
static cpu_set_t allowed_or_skip(void)
{
    cpu_set_t all = mask_of(pthread_self());
    if (CPU_COUNT(&all) < 2) {
        cr_skip_test("one CPU allowed here: co-location has nothing to do");
    }
    return all;
}

static int nth_cpu(const cpu_set_t *m, int n)
{
    for (int c = 0; c < CPU_SETSIZE; c++) {
        if (CPU_ISSET(c, m) && n-- == 0) {
            return c;
        }
    }
    return -1;
}

static void *report_mask(void *arg)
{
    *(cpu_set_t *)arg = mask_of(pthread_self());
    return NULL;
}

Test(thread_colocate, pins_the_caller_and_what_it_creates_then_restores)
{
    unsetenv("TLSRIG_NO_COLOCATE");
    cpu_set_t all = allowed_or_skip();
    thread_colocation_t c;
    thread_colocate_begin(&c);
    cr_assert(c.pinned);
    cpu_set_t now = mask_of(pthread_self());
    cr_assert_eq(CPU_COUNT(&now), 1, "pinned to %d CPUs", CPU_COUNT(&now));
    cr_assert(CPU_ISSET(c.cpu, &now));
    cr_assert_eq(sched_getcpu(), c.cpu, "the caller runs on its CPU at once");

    pthread_t t;
    cpu_set_t child;
    cr_assert_eq(pthread_create(&t, NULL, report_mask, &child), 0);
    pthread_join(t, NULL);
    cr_assert(CPU_EQUAL(&child, &now), "a thread created in the window inherits the pin");

    thread_colocate_end(&c);
    cpu_set_t after = mask_of(pthread_self());
    cr_assert(CPU_EQUAL(&after, &all), "end restores the mask from before");
    cr_assert(!c.pinned);
    thread_colocate_end(&c); /* a second end changes nothing */
    after = mask_of(pthread_self());
    cr_assert(CPU_EQUAL(&after, &all));
}

Test(thread_colocate, every_window_uses_the_first_chosen_cpu)
{
    unsetenv("TLSRIG_NO_COLOCATE");
    cpu_set_t all = allowed_or_skip();
    thread_colocation_t c;
    thread_colocate_begin(&c);
    int first = c.cpu;
    thread_colocate_end(&c);
    /* Move the caller to another CPU; allowed everywhere again, it stays there. */
    int other = nth_cpu(&all, 0) == first ? nth_cpu(&all, 1) : nth_cpu(&all, 0);
    cpu_set_t there;
    CPU_ZERO(&there);
    CPU_SET(other, &there);
    cr_assert_eq(pthread_setaffinity_np(pthread_self(), sizeof there, &there), 0);
    cr_assert_eq(sched_getcpu(), other);
    cr_assert_eq(pthread_setaffinity_np(pthread_self(), sizeof all, &all), 0);

    thread_colocate_begin(&c);
    cr_assert(c.pinned);
    cr_assert_eq(c.cpu, first, "second window on CPU %d, the first on %d", c.cpu, first);
    cr_assert_eq(sched_getcpu(), first);
    thread_colocate_end(&c);
}

Test(thread_colocate, no_colocate_leaves_the_mask_alone)
{
    cpu_set_t all = allowed_or_skip();
    setenv("TLSRIG_NO_COLOCATE", "1", 1);
    thread_colocation_t c;
    thread_colocate_begin(&c);
    cr_assert(!c.pinned);
    cr_assert_eq(c.cpu, -1);
    cpu_set_t now = mask_of(pthread_self());
    cr_assert(CPU_EQUAL(&now, &all));
    thread_colocate_end(&c);
    now = mask_of(pthread_self());
    cr_assert(CPU_EQUAL(&now, &all));

    setenv("TLSRIG_NO_COLOCATE", "0", 1); /* "0" is no opt-out */
    thread_colocate_begin(&c);
    cr_assert(c.pinned);
    thread_colocate_end(&c);
    unsetenv("TLSRIG_NO_COLOCATE");
}

Test(thread_colocate, a_caller_allowed_one_cpu_is_left_alone)
{
    unsetenv("TLSRIG_NO_COLOCATE");
    cpu_set_t all = allowed_or_skip();
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(nth_cpu(&all, 1), &one);
    cr_assert_eq(pthread_setaffinity_np(pthread_self(), sizeof one, &one), 0);
    thread_colocation_t c;
    thread_colocate_begin(&c);
    cr_assert(!c.pinned);
    cpu_set_t now = mask_of(pthread_self());
    cr_assert(CPU_EQUAL(&now, &one));
    thread_colocate_end(&c);
    now = mask_of(pthread_self());
    cr_assert(CPU_EQUAL(&now, &one), "end of an unpinned window keeps the caller's own mask");
}
