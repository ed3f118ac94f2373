#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <time.h>

#include "flash_clock.h"

static uint64_t real_now_ms(void *ctx)
{
    (void)ctx;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void real_sleep_ms(void *ctx, unsigned ms)
{
    (void)ctx;
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

const flash_clock_t flash_clock_real = {real_now_ms, real_sleep_ms, NULL};
