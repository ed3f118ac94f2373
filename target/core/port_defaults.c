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
