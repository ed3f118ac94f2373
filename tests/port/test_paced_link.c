/* The sim's paced link threads over a real socket pair: bytes arrive intact
 * and in order, never sooner than the line allows (lower bounds only: a
 * loaded machine may be slower, never faster), and a flush or EOF is seen. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <errno.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "line_pace.h"
#include "paced_link.h"

#define N 3000u

static int g_host = -1;

static uint64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void start(uint32_t baud, uint32_t turnaround_ms)
{
    int sv[2];
    cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    g_host = sv[0];
    cr_assert_eq(paced_link_start(sv[1], baud, turnaround_ms), 0);
}

static void pattern(uint8_t *buf, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        buf[i] = (uint8_t)(i * 7u + 3u);
    }
}

Test(paced_link, the_agents_bytes_leave_at_line_rate)
{
    start(921600, 1);
    static uint8_t out[N], in[N];
    pattern(out, N);
    uint64_t t0 = mono_ns();
    cr_assert_eq(paced_link_write(out, N), 0);
    uint64_t returned = mono_ns() - t0;
    size_t got = 0;
    while (got < N) {
        ssize_t n = read(g_host, in + got, N - got);
        cr_assert_gt(n, 0, "read: %s", strerror(errno));
        got += (size_t)n;
    }
    uint64_t took = mono_ns() - t0;
    cr_expect_arr_eq(in, out, N);
    cr_expect_geq(took, line_pace_wire_ns(921600, N) + 1000000u, "took %llu ns",
                  (unsigned long long)took);
    cr_expect_geq(returned, line_pace_wire_ns(921600, N - PACED_LINK_TX_FIFO),
                  "the writer blocked like on a UART (returned after %llu ns)",
                  (unsigned long long)returned);
}

Test(paced_link, the_hosts_bytes_become_readable_at_line_rate)
{
    start(921600, 2);
    static uint8_t out[N], in[N];
    pattern(out, N);
    uint64_t t0 = mono_ns();
    cr_assert_eq(write(g_host, out, N), (ssize_t)N);
    size_t got = 0;
    while (got < N) {
        int n = paced_link_read(in + got, N - got, 2000);
        cr_assert_gt(n, 0, "paced_link_read: %d", n);
        got += (size_t)n;
    }
    uint64_t took = mono_ns() - t0;
    cr_expect_arr_eq(in, out, N);
    cr_expect_geq(took, line_pace_wire_ns(921600, N) + 2000000u, "took %llu ns",
                  (unsigned long long)took);
}

Test(paced_link, a_read_times_out_with_nothing_due)
{
    start(115200, 1);
    uint8_t b;
    cr_expect_eq(paced_link_read(&b, 1, 20), 0);
}

Test(paced_link, flush_returns_once_every_byte_is_in_the_socket)
{
    start(115200, 1);
    static uint8_t out[200], in[400];
    pattern(out, sizeof out);
    cr_assert_eq(paced_link_write(out, sizeof out), 0);
    paced_link_flush();
    ssize_t n = recv(g_host, in, sizeof in, MSG_DONTWAIT);
    cr_expect_eq(n, (ssize_t)sizeof out, "all %zu bytes were there at once (got %zd)", sizeof out,
                 n);
}

Test(paced_link, the_host_going_away_ends_reads_after_the_bytes_in_flight)
{
    start(921600, 1);
    uint8_t out[64], in[64];
    pattern(out, sizeof out);
    cr_assert_eq(write(g_host, out, sizeof out), (ssize_t)sizeof out);
    close(g_host);
    size_t got = 0;
    int n;
    while ((n = paced_link_read(in + got, sizeof in - got, 2000)) > 0) {
        got += (size_t)n;
    }
    cr_expect_eq(n, -1, "EOF after the data");
    cr_expect_eq(got, sizeof out, "nothing lost before the EOF");
    cr_expect_arr_eq(in, out, sizeof out);
}
