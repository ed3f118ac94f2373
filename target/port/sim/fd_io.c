#define _POSIX_C_SOURCE 200809L
#include "fd_io.h"

#include <errno.h>
#include <unistd.h>

int fd_write_all(int fd, const uint8_t *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -1;
        }
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}
