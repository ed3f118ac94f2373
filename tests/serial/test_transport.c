/* The transport under the link: reads and writes keep their deadlines, the
 * other side closing is an error that says end of file, flushing drops what
 * was waiting. The serial suite opens a pty slave through libserialport; it
 * runs under the TIOCM shim (ctest serial-transport-pty), as behind the fake
 * VCP. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "transport.h"

static char err[512];

static long long ms_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A socket pair: *peer is ours, the transport wraps the other end. */
static transport_t *pair(int *peer)
{
    int sv[2];
    cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    *peer = sv[1];
    transport_t *t = transport_from_fd(sv[0], "socket", err, sizeof err);
    cr_assert_not_null(t, "%s", err);
    return t;
}

Test(transport, a_read_with_nothing_to_read_returns_0_at_its_deadline)
{
    int peer;
    transport_t *t = pair(&peer);
    char buf[16];
    long long start = ms_now();
    cr_expect_eq(transport_read(t, buf, sizeof buf, 150, err, sizeof err), 0);
    long long took = ms_now() - start;
    cr_expect(took >= 150 && took < 1500, "took %lld ms for a 150 ms deadline", took);
    transport_close(t);
    close(peer);
}

Test(transport, a_read_returns_what_arrived_before_the_deadline)
{
    int peer;
    transport_t *t = pair(&peer);
    cr_assert_eq(write(peer, "abc", 3), 3);
    char buf[16];
    cr_expect_eq(transport_read(t, buf, sizeof buf, 1000, err, sizeof err), 3);
    cr_expect(memcmp(buf, "abc", 3) == 0);
    transport_close(t);
    close(peer);
}

Test(transport, the_other_side_closing_is_an_error_that_says_end_of_file)
{
    int peer;
    transport_t *t = pair(&peer);
    close(peer);
    char buf[16];
    cr_expect_eq(transport_read(t, buf, sizeof buf, 1000, err, sizeof err), -1);
    cr_expect(strstr(err, "end of file") != NULL, "%s", err);
    transport_close(t);
}

Test(transport, flushing_drops_what_was_waiting_and_keeps_what_comes_after)
{
    int peer;
    transport_t *t = pair(&peer);
    cr_assert_eq(write(peer, "stale", 5), 5);
    cr_expect_eq(transport_flush_input(t), 0);
    char buf[16];
    cr_expect_eq(transport_read(t, buf, sizeof buf, 0, err, sizeof err), 0, "stale bytes kept");
    cr_assert_eq(write(peer, "new", 3), 3);
    cr_expect_eq(transport_read(t, buf, sizeof buf, 1000, err, sizeof err), 3);
    cr_expect(memcmp(buf, "new", 3) == 0);
    transport_close(t);
    close(peer);
}

Test(transport, a_write_the_other_side_never_reads_fails_at_its_deadline)
{
    int peer;
    transport_t *t = pair(&peer);
    static char big[1 << 20];
    long long start = ms_now();
    cr_expect_eq(transport_write_all(t, big, sizeof big, 200, err, sizeof err), -1);
    long long took = ms_now() - start;
    cr_expect(took >= 200 && took < 2000, "took %lld ms for a 200 ms deadline", took);
    cr_expect(strstr(err, "stalled") != NULL, "%s", err);
    transport_close(t);
    close(peer);
}

Test(transport, a_socket_has_no_modem_lines)
{
    int peer;
    transport_t *t = pair(&peer);
    cr_expect_not(transport_is_serial(t));
    cr_expect_eq(transport_set_lines(t, SERIAL_LINE_HIGH, SERIAL_LINE_LOW, err, sizeof err), -1);
    cr_expect(strstr(err, "not a serial port") != NULL, "%s", err);
    transport_close(t);
    close(peer);
}

#ifdef TLSRIG_HAVE_UMOCKDEV
#include <umockdev.h>

/* The serial suite runs under libumockdev-preload and the TIOCM shim (ctest
 * serial-transport-pty): libserialport finds a port through sysfs, which a
 * plain pty lacks, and asks for modem lines, which a pty refuses. The
 * testbed's /dev/ttyACM0 is a pty whose master we get. */
static UMockdevTestbed *g_bed;

static int open_master(char *slave, size_t cap)
{
    const char *pre = getenv("LD_PRELOAD");
    if (!pre || !strstr(pre, "tiocm_shim") || !strstr(pre, "umockdev")) {
        cr_skip_test("needs umockdev's preload and the TIOCM shim (ctest serial-transport-pty)");
    }
    char bed[4200];
    snprintf(bed, sizeof bed, "%s/tests/serial/testbed.umockdev", getenv("TLSRIG_SOURCE_DIR"));
    g_bed = umockdev_testbed_new();
    cr_assert(umockdev_testbed_add_from_file(g_bed, bed, NULL), "%s", bed);
    int m = umockdev_testbed_get_dev_fd(g_bed, "/dev/ttyACM0");
    cr_assert(m >= 0);
    snprintf(slave, cap, "/dev/ttyACM0");
    return dup(m);
}

static void close_bed(void)
{
    if (g_bed) {
        g_object_unref(g_bed);
        g_bed = NULL;
    }
}
#else
static int open_master(char *slave, size_t cap)
{
    (void)slave, (void)cap;
    cr_skip_test("umockdev not available");
    return -1;
}
static void close_bed(void) {}
#endif

TestSuite(serial_pty, .fini = close_bed);

Test(serial_pty, a_pty_opens_exclusive_raw_and_flushed_and_carries_bytes_both_ways)
{
    char slave[128];
    int m = open_master(slave, sizeof slave);
    /* Bytes that were waiting before the open are stale: dropped. */
    int hold = open(slave, O_RDWR | O_NOCTTY);
    struct termios raw;
    cr_assert_eq(tcgetattr(hold, &raw), 0);
    cfmakeraw(&raw);
    cr_assert_eq(tcsetattr(hold, TCSANOW, &raw), 0);
    cr_assert_eq(write(m, "stale", 5), 5);
    /* A pty hands written bytes to the other side through a work queue:
     * wait until they are there, so the flush at open has them to drop. */
    struct pollfd pf = {.fd = hold, .events = POLLIN};
    cr_assert_eq(poll(&pf, 1, 5000), 1, "the stale bytes never arrived");
    serial_settings_t s = {.baud = 115200, .dtr = SERIAL_LINE_HIGH, .rts = SERIAL_LINE_LOW};
    transport_t *t = transport_open_serial(slave, &s, err, sizeof err);
    cr_assert_not_null(t, "%s", err);
    cr_expect(transport_is_serial(t));
    cr_expect_str_eq(transport_name(t), slave);
    int excl = 0;
    cr_expect_eq(ioctl(transport_fd(t), TIOCGEXCL, &excl), 0);
    cr_expect_eq(excl, 1, "TIOCEXCL not set");
    struct termios tio;
    cr_assert_eq(tcgetattr(transport_fd(t), &tio), 0);
    cr_expect_eq(tio.c_lflag & (ICANON | ECHO), 0u, "not raw");
    cr_expect_eq(tio.c_cflag & CSIZE, (tcflag_t)CS8);
    cr_expect_eq(tio.c_cflag & (PARENB | CSTOPB), 0u, "not 8N1");
    cr_expect_eq(cfgetospeed(&tio), B115200);
    char buf[64];
    ssize_t stale = transport_read(t, buf, sizeof buf, 100, err, sizeof err);
    cr_expect_eq(stale, 0, "stale kept: %zd bytes %.*s (%s)", stale, (int)(stale > 0 ? stale : 0),
                 buf, stale < 0 ? err : "");
    cr_assert_eq(write(m, "\x00hello", 6), 6);
    cr_expect_eq(transport_read(t, buf, sizeof buf, 1000, err, sizeof err), 6);
    cr_expect(memcmp(buf, "\x00hello", 6) == 0);
    cr_expect_eq(transport_write_all(t, "\x7f\x00ok", 4, 1000, err, sizeof err), 0, "%s", err);
    ssize_t got = 0;
    for (int i = 0; i < 100 && got < 4; i++) {
        ssize_t r = read(m, buf + got, sizeof buf - (size_t)got);
        got += r > 0 ? r : 0;
    }
    cr_expect_eq(got, 4);
    cr_expect(memcmp(buf, "\x7f\x00ok", 4) == 0, "bytes changed on the way (not raw?)");
    cr_expect_eq(transport_set_lines(t, SERIAL_LINE_LOW, SERIAL_LINE_HIGH, err, sizeof err), 0,
                 "%s", err);
    transport_close(t);
    close(hold);
    close(m);
}

Test(serial_pty, eight_e_one_for_the_bootloader)
{
    char slave[128];
    int m = open_master(slave, sizeof slave);
    serial_settings_t s = {.baud = 57600, .parity = SERIAL_PARITY_EVEN};
    transport_t *t = transport_open_serial(slave, &s, err, sizeof err);
    cr_assert_not_null(t, "%s", err);
    struct termios tio;
    cr_assert_eq(tcgetattr(transport_fd(t), &tio), 0);
    /* A pty forces CS8 without parity whatever is asked (pty_set_termios),
     * so only the rate shows here; the parity bits are libserialport's. */
    cr_expect_eq(cfgetospeed(&tio), B57600);
    transport_close(t);
    close(m);
}

Test(serial_pty, a_port_that_does_not_exist_is_named_in_the_error)
{
    char slave[128];
    close(open_master(slave, sizeof slave));
    serial_settings_t s = {.baud = 115200};
    cr_expect_null(transport_open_serial("/dev/ttyNOSUCH9", &s, err, sizeof err));
    cr_expect(strstr(err, "/dev/ttyNOSUCH9") != NULL, "%s", err);
}
