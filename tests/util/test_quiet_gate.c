/* issue 16: the quiet gate (quiet_gate.h). A closed gate holds a background thread up to its
 * bound, opening it lets every waiter go at once, and an open gate holds no one. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <pthread.h>
#include <time.h>

#include "quiet_gate.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

Test(quiet_gate, a_closed_gate_holds_a_waiter_until_its_bound)
{
    quiet_gate_close();
    cr_assert(!quiet_gate_is_open());
    double t0 = now_ms();
    quiet_gate_wait(60);
    double waited = now_ms() - t0;
    /* a lower bound only: nothing but the bound or an open ends the wait */
    cr_assert_geq(waited, 59.0, "returned after %.1f ms on a closed gate", waited);
    cr_assert(!quiet_gate_is_open(), "the bound does not open the gate");
}

static void *wait_long(void *arg)
{
    double *waited = arg;
    double t0 = now_ms();
    quiet_gate_wait(20000);
    *waited = now_ms() - t0;
    return NULL;
}

Test(quiet_gate, opening_lets_every_waiter_go)
{
    quiet_gate_close();
    pthread_t t[3];
    double waited[3];
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(pthread_create(&t[i], NULL, wait_long, &waited[i]), 0);
    }
    quiet_gate_open();
    cr_assert(quiet_gate_is_open());
    for (int i = 0; i < 3; i++) {
        pthread_join(t[i], NULL);
        /* released by the open, far before their 20 s bound */
        cr_assert_lt(waited[i], 10000.0, "waiter %d waited %.0f ms", i, waited[i]);
    }
}

Test(quiet_gate, an_open_gate_holds_no_one_and_closing_twice_is_closing)
{
    quiet_gate_open();
    quiet_gate_open();
    double t0 = now_ms();
    quiet_gate_wait(20000);
    cr_assert_lt(now_ms() - t0, 10000.0);
    quiet_gate_close();
    quiet_gate_close();
    cr_assert(!quiet_gate_is_open());
    quiet_gate_open();
    cr_assert(quiet_gate_is_open());
}
