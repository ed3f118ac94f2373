/* Weak defaults for the optional port hooks in port.h: a port that has the
 * feature defines the function and the linker takes its definition. */
#include "port.h"

__attribute__((weak)) bool port_accepts_host_entropy(void)
{
    return false;
}

__attribute__((weak)) int port_host_entropy(const uint8_t *seed, size_t len)
{
    (void)seed;
    (void)len;
    return -1;
}

__attribute__((weak)) bool port_instruction_count(uint64_t *count)
{
    (void)count;
    return false;
}

__attribute__((weak)) bool port_stack_peak(uint32_t *bytes)
{
    (void)bytes;
    return false;
}

__attribute__((weak)) void port_stack_peak_reset(void) {}

__attribute__((weak)) uint64_t port_now_ns(void)
{
    return port_now_us() * 1000u;
}

__attribute__((weak)) int port_inject_fault(const char *name, uint32_t every_n)
{
    (void)name;
    (void)every_n;
    return -2;
}

__attribute__((weak)) uint32_t port_session_epoch(void)
{
    uint8_t b[4];
    uint32_t e = 0;
    if (port_entropy(b, sizeof b) == 0) {
        e = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    }
    if (e == 0) {
        /* No entropy yet (QEMU before the host's seed): the clock, weak but
         * better than a constant. */
        uint64_t us = port_now_us();
        e = (uint32_t)(us ^ (us >> 32)) * 2654435761u;
    }
    return e ? e : 1u;
}

__attribute__((weak)) void port_reset(void) {}

__attribute__((weak)) const char *port_clock_source(void)
{
    return NULL;
}

__attribute__((weak)) const char *port_reset_cause(void)
{
    return NULL;
}

__attribute__((weak)) uint32_t port_link_baud(void)
{
    return 0;
}

__attribute__((weak)) size_t port_panic_take(uint8_t *out, size_t cap)
{
    (void)out;
    (void)cap;
    return 0;
}

__attribute__((weak)) const char *port_features(void)
{
    return "";
}
