/* This file defines time() for the tlsrig process: the executable's
 * definition takes precedence over libc's for every caller, Debian's
 * libmbedtls included. It returns the real clock (CLOCK_REALTIME) unless the
 * calling thread asked for the fixed TEST ONLY clock. */
#define _POSIX_C_SOURCE 200809L
#include "test_clock.h"

#include <time.h>

static _Thread_local bool t_fixed;

/* 2026-01-01T00:00:00Z: inside every test certificate's validity. */
#define TEST_CLOCK_FIXED ((time_t)1767225600)

void test_clock_fix_for_this_thread(bool fixed)
{
    t_fixed = fixed;
}

time_t time(time_t *tloc)
{
    time_t now = TEST_CLOCK_FIXED;
    if (!t_fixed) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        now = ts.tv_sec;
    }
    if (tloc) {
        *tloc = now;
    }
    return now;
}
