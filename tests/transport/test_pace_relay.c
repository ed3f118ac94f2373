/* The pacing relay (host/transport/pace_relay.c) in front of an emulated
 * target's socket: bytes pass intact each way, never sooner than the line
 * allows (lower bounds only), and a side that closes ends the relay. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "line_pace.h"
#include "pace_relay.h"

#define N 3000u

static uint64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* *target: the emulator's end; returns the host's end. */
static int start(uint32_t baud, int *target)
{
    int sv[2];
    char err[256];
    cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    int host = -1;
    cr_assert_eq(pace_relay_start(sv[1], baud, 1, &host, err, sizeof err), 0, "%s", err);
    *target = sv[0];
    return host;
}

static void read_n(int fd, uint8_t *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        cr_assert_gt(r, 0, "read: %s", r < 0 ? strerror(errno) : "EOF");
        got += (size_t)r;
    }
}

Test(pace_relay, both_directions_at_line_rate_and_intact)
{
    int target;
    int host = start(921600, &target);
    static uint8_t a[N], b[N], in[N];
    for (size_t i = 0; i < N; i++) {
        a[i] = (uint8_t)(i * 13u);
        b[i] = (uint8_t)(i * 29u + 1u);
    }
    static uint8_t in_b[N];
    uint64_t t0 = mono_ns();
    cr_assert_eq(write(host, a, N), (ssize_t)N);
    cr_assert_eq(write(target, b, N), (ssize_t)N);
    /* Read both ends as bytes come: the relay delivers in small paced writes,
     * and an end nobody reads fills its socket buffer (each small write
     * costs a whole buffer's truesize) and holds the relay's other direction. */
    size_t got_a = 0, got_b = 0;
    while (got_a < N || got_b < N) {
        struct pollfd p[2] = {{.fd = got_a < N ? target : -1, .events = POLLIN},
                              {.fd = got_b < N ? host : -1, .events = POLLIN}};
        cr_assert_gt(poll(p, 2, 10000), 0, "the relay delivered nothing for 10 s");
        if (p[0].revents) {
            ssize_t r = read(target, in + got_a, N - got_a);
            cr_assert_gt(r, 0, "read target: %s", r < 0 ? strerror(errno) : "EOF");
            got_a += (size_t)r;
        }
        if (p[1].revents) {
            ssize_t r = read(host, in_b + got_b, N - got_b);
            cr_assert_gt(r, 0, "read host: %s", r < 0 ? strerror(errno) : "EOF");
            got_b += (size_t)r;
        }
    }
    cr_expect_arr_eq(in, a, N);
    cr_expect_arr_eq(in_b, b, N);
    uint64_t took = mono_ns() - t0;
    /* Full duplex: both directions in parallel, each at least one line time. */
    cr_expect_geq(took, line_pace_wire_ns(921600, N) + 1000000u, "took %llu ns",
                  (unsigned long long)took);
    close(host);
    close(target);
}

/* The target stops reading while the host sends: the relay's writes to it
 * would block (its socket buffer is small here, so that happens within a
 * few paced writes), and the other direction must flow all the same. */
Test(pace_relay, a_peer_that_stops_reading_holds_only_its_direction)
{
    int sv[2];
    char err[256];
    cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    int small = 4096;
    cr_assert_eq(setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &small, sizeof small), 0);
    int host = -1, target = sv[0];
    cr_assert_eq(pace_relay_start(sv[1], 115200, 1, &host, err, sizeof err), 0, "%s", err);
    static uint8_t flood[16384];
    memset(flood, 0xa5, sizeof flood);
    cr_assert_eq(write(host, flood, sizeof flood), (ssize_t)sizeof flood);
    uint8_t answer[300], in[300];
    for (size_t i = 0; i < sizeof answer; i++)
        answer[i] = (uint8_t)(i * 7u + 3u);
    cr_assert_eq(write(target, answer, sizeof answer), (ssize_t)sizeof answer);
    size_t got = 0;
    while (got < sizeof in) {
        struct pollfd p = {.fd = host, .events = POLLIN};
        cr_assert_gt(poll(&p, 1, 10000), 0,
                     "target -> host stalled behind the unread host -> target direction");
        ssize_t r = read(host, in + got, sizeof in - got);
        cr_assert_gt(r, 0, "read host: %s", r < 0 ? strerror(errno) : "EOF");
        got += (size_t)r;
    }
    cr_expect_arr_eq(in, answer, sizeof in);
    close(host);
    close(target);
}

Test(pace_relay, the_host_closing_ends_the_relay_after_its_bytes)
{
    int target;
    int host = start(115200, &target);
    uint8_t out[100], in[100];
    memset(out, 0x5a, sizeof out);
    cr_assert_eq(write(host, out, sizeof out), (ssize_t)sizeof out);
    close(host);
    read_n(target, in, sizeof in);
    cr_expect_arr_eq(in, out, sizeof out);
    cr_expect_eq(read(target, in, 1), 0, "EOF once the relay delivered and ended");
    close(target);
}

Test(pace_relay, the_target_closing_reaches_the_host_as_eof)
{
    int target;
    int host = start(921600, &target);
    close(target);
    uint8_t b;
    cr_expect_eq(read(host, &b, 1), 0);
    close(host);
}

Test(pace_relay, refuses_a_line_out_of_range)
{
    int sv[2];
    char err[256] = "";
    int host = -1;
    cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    cr_expect_eq(pace_relay_start(sv[1], 10, 1, &host, err, sizeof err), -1);
    cr_expect(strstr(err, "out of range") != NULL, "%s", err);
    uint8_t b;
    cr_expect_eq(read(sv[0], &b, 1), 0, "the target's socket was closed");
    close(sv[0]);
}
