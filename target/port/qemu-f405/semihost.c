/* ARM semihosting (QEMU -semihosting-config enable=on): used only for the
 * exit status and for a fault report that must survive a dead link. */
#include <errno.h>
#include <stddef.h>

#include "qemu_f405.h"

#define SYS_WRITE0 0x04u
#define SYS_EXIT_EXTENDED 0x20u
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u

static uint32_t semihost_call(uint32_t op, const void *arg)
{
    register uint32_t r0 __asm("r0") = op;
    register const void *r1 __asm("r1") = arg;
    __asm volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

void qemu_f405_semihost_write(const char *text)
{
    (void)semihost_call(SYS_WRITE0, text);
}

void qemu_f405_exit(int status)
{
    /* SYS_EXIT_EXTENDED carries the status; plain SYS_EXIT only a reason. */
    const uint32_t block[2] = {ADP_STOPPED_APPLICATION_EXIT, (uint32_t)status};
    (void)semihost_call(SYS_EXIT_EXTENDED, block);
    for (;;) {
        __asm volatile("wfi");
    }
}

/* newlib allocates a few lazy buffers of its own (gmtime's struct tm, which
 * mbedTLS's X.509 time checks use). They get a small fixed arena; everything
 * else lives in mbedTLS's static heap. Past the arena malloc fails instead of
 * growing into the stack. */
#define LIBC_ARENA_SIZE 2048u
static uint8_t g_libc_arena[LIBC_ARENA_SIZE] __attribute__((aligned(8)));
static size_t g_libc_used;

void *_sbrk(ptrdiff_t increment);
void *_sbrk(ptrdiff_t increment)
{
    if (increment < 0 || (size_t)increment > LIBC_ARENA_SIZE - g_libc_used) {
        errno = ENOMEM;
        return (void *)-1;
    }
    void *p = g_libc_arena + g_libc_used;
    g_libc_used += (size_t)increment;
    return p;
}
