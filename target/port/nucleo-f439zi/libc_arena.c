/* newlib's lazy buffers (gmtime's struct tm for X.509 time checks) get a
 * small fixed arena; everything else allocates from mbedTLS's static heap.
 * Past the arena malloc fails instead of growing into anything. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

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
