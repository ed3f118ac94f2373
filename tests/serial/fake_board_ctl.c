/* TEST ONLY: fake-board-ctl [--serial S] flash sim|qemu IMAGE | reset
 * The `command` flasher of the sim-serial and qemu-f405-serial boards: asks
 * the fake board of tests/serial/fake-vcp (socket in $FAKE_BOARD_SOCKET) to
 * put IMAGE on the board or to reset it. Prints the answer; exit 0 when the
 * board says ok, 1 when it refused, 3 when there is no fake board. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    const char *serial = "0669FF555052836687031234";
    int i = 1;
    if (argc > 3 && strcmp(argv[1], "--serial") == 0) {
        serial = argv[2];
        i = 3;
    }
    char req[4600];
    if (argc - i == 3 && strcmp(argv[i], "flash") == 0) {
        snprintf(req, sizeof req, "flash %s %s %s\n", serial, argv[i + 1], argv[i + 2]);
    } else if (argc - i == 1 && strcmp(argv[i], "reset") == 0) {
        snprintf(req, sizeof req, "reset %s\n", serial);
    } else if (argc - i == 1 && strcmp(argv[i], "brick-on-reset") == 0) {
        snprintf(req, sizeof req, "brick-on-reset %s\n", serial);
    } else if (argc - i == 2 && strcmp(argv[i], "brick-on-reset") == 0) {
        snprintf(req, sizeof req, "brick-on-reset %s %s\n", serial, argv[i + 1]);
    } else {
        fprintf(stderr, "usage: fake-board-ctl [--serial S] flash sim|qemu IMAGE | reset | "
                        "brick-on-reset [N]\n");
        return 2;
    }
    const char *path = getenv("FAKE_BOARD_SOCKET");
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (!path || strlen(path) >= sizeof a.sun_path) {
        fprintf(stderr, "fake-board-ctl: no fake board (run under tests/serial/fake-vcp)\n");
        return 3;
    }
    strcpy(a.sun_path, path);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        perror("fake-board-ctl: connect");
        return 3;
    }
    if (write(fd, req, strlen(req)) != (ssize_t)strlen(req)) {
        perror("fake-board-ctl: write");
        return 3;
    }
    char reply[2048];
    size_t len = 0;
    for (ssize_t r;
         len + 1 < sizeof reply && (r = read(fd, reply + len, sizeof reply - 1 - len)) > 0;) {
        len += (size_t)r;
    }
    reply[len] = '\0';
    close(fd);
    printf("fake-board-ctl: %s", reply);
    return strncmp(reply, "ok ", 3) == 0 ? 0 : 1;
}
