/* TEST ONLY (LD_PRELOAD under tests/serial/fake-vcp, never shipped): a pty
 * has no modem-control lines and refuses TIOCMGET/TIOCMSET/TIOCMBIS/TIOCMBIC
 * with ENOTTY; libserialport asks for them when it opens and configures a
 * port. On a pty slave (character major 136-143) this answers them from a
 * per-process copy of the lines instead, as a USB CDC-ACM tty would.
 * umockdev's own preload answers ENOTTY to every ioctl on a device node it
 * mocks (TIOCEXCL too): on a pty slave, such a refusal is retried with the
 * system call itself. Preload this before libumockdev-preload. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static int g_lines = TIOCM_DTR | TIOCM_RTS | TIOCM_CTS | TIOCM_DSR | TIOCM_CD;

int ioctl(int fd, unsigned long request, ...)
{
    static int (*real)(int, unsigned long, ...);
    va_list ap;
    va_start(ap, request);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    if (!real) {
        real = (int (*)(int, unsigned long, ...))dlsym(RTLD_NEXT, "ioctl");
    }
    int r = real(fd, request, arg);
    struct stat st;
    if (r == 0 || errno != ENOTTY || fstat(fd, &st) != 0 || !S_ISCHR(st.st_mode) ||
        major(st.st_rdev) < 136 || major(st.st_rdev) > 143) {
        return r;
    }
    r = (int)syscall(SYS_ioctl, fd, request, arg);
    bool tiocm =
        request == TIOCMGET || request == TIOCMSET || request == TIOCMBIS || request == TIOCMBIC;
    if (r == 0 || errno != ENOTTY || !tiocm || !arg) {
        return r;
    }
    int *v = arg;
    if (request == TIOCMGET) {
        *v = g_lines;
    } else if (request == TIOCMSET) {
        g_lines = *v;
    } else if (request == TIOCMBIS) {
        g_lines |= *v;
    } else {
        g_lines &= ~*v;
    }
    errno = 0;
    return 0;
}
