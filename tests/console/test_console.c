/* `tlsrig console --board sim` driven through a pipe (stdin not a tty, so
 * lines are commands): the HELLO line, a ping with the same epoch, a reset
 * with a changed epoch and a new HELLO, exit 0 on q and at end of input,
 * exit 3 when no target can be started. Every wait reads the console's
 * stdout until a line appears, with a deadline. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "run_tlsrig.h"

typedef struct console {
    pid_t pid;
    int in;  /* its stdin */
    int out; /* its stdout */
    char buf[65536];
    size_t len;
    size_t seen; /* lines before this offset were consumed */
} console_t;

static console_t g_c;

/* tlsrig console --board BOARD, behind tests/serial/fake-vcp when via_vcp. */
static void start_on(const char *board, bool via_vcp, const char *state_dir, const char *build_dir)
{
    int in[2], out[2];
    cr_assert_eq(pipe(in), 0);
    cr_assert_eq(pipe(out), 0);
    memset(&g_c, 0, sizeof g_c);
    g_c.pid = fork();
    cr_assert_geq(g_c.pid, 0);
    if (g_c.pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        close(in[1]);
        close(out[0]);
        char bin[4200];
        snprintf(bin, sizeof bin, "%s/tlsrig", getenv("TLSRIG_BUILD_DIR"));
        setenv("TLSRIG_STATE_DIR", state_dir, 1);
        /* A private lock dir: a board other tests drive at the same time
         * (sim-serial in tests/serial) must not see its lock taken. */
        setenv("TLSRIG_LOCK_DIR", state_dir, 1);
        if (build_dir) {
            setenv("TLSRIG_BUILD_DIR", build_dir, 1);
        }
        if (via_vcp) {
            char vcp[4200];
            snprintf(vcp, sizeof vcp, "%s/tests/serial/fake-vcp", getenv("TLSRIG_SOURCE_DIR"));
            execl(vcp, vcp, bin, "console", "--board", board, (char *)NULL);
        } else {
            execl(bin, bin, "console", "--board", board, (char *)NULL);
        }
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    g_c.in = in[1];
    g_c.out = out[0];
    signal(SIGPIPE, SIG_IGN);
}

static void start(const char *state_dir, const char *build_dir)
{
    start_on("sim", false, state_dir, build_dir);
}

static uint32_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint32_t)(ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* The next line starting with prefix (after the last one taken), copied into
 * line; fails the test after 15 s. */
static void expect_line(const char *prefix, char *line, size_t cap)
{
    uint32_t t0 = now_ms();
    for (;;) {
        g_c.buf[g_c.len] = '\0';
        for (char *p = g_c.buf + g_c.seen; *p;) {
            char *nl = strchr(p, '\n');
            if (!nl) {
                break;
            }
            g_c.seen = (size_t)(nl + 1 - g_c.buf);
            if (strncmp(p, prefix, strlen(prefix)) == 0) {
                snprintf(line, cap, "%.*s", (int)(nl - p), p);
                return;
            }
            p = nl + 1;
        }
        int left = 15000 - (int)(now_ms() - t0);
        cr_assert_gt(left, 0, "no line '%s' within 15 s; output so far:\n%s", prefix, g_c.buf);
        struct pollfd pf = {.fd = g_c.out, .events = POLLIN};
        if (poll(&pf, 1, left) <= 0) {
            continue;
        }
        ssize_t n = read(g_c.out, g_c.buf + g_c.len, sizeof g_c.buf - 1 - g_c.len);
        cr_assert_gt(n, 0, "console closed its output before '%s':\n%s", prefix, g_c.buf);
        g_c.len += (size_t)n;
    }
}

static void say(const char *cmd)
{
    cr_assert_eq(write(g_c.in, cmd, strlen(cmd)), (ssize_t)strlen(cmd));
}

static int finish(void)
{
    int status = 0;
    close(g_c.in);
    cr_assert_eq(waitpid(g_c.pid, &status, 0), g_c.pid);
    close(g_c.out);
    g_c.pid = 0;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void cleanup(void)
{
    if (g_c.pid > 0) {
        kill(g_c.pid, SIGKILL);
        waitpid(g_c.pid, NULL, 0);
    }
}

static char g_state[4200];

static void setup(void)
{
    fresh_dir("console-state", g_state, sizeof g_state);
    cr_assert_eq(mkdir(g_state, 0755), 0);
}

TestSuite(console, .init = setup, .fini = cleanup);

static unsigned epoch_of(const char *line)
{
    const char *e = strstr(line, "epoch=0x");
    cr_assert_not_null(e, "%s", line);
    return (unsigned)strtoul(e + 8, NULL, 16);
}

Test(console, hello_ping_reset_quit)
{
    char hello[1024], line[1024], again[1024];
    start(g_state, NULL);
    expect_line("hello: ", hello, sizeof hello);
    cr_expect(strstr(hello, "board=sim ") && strstr(hello, "backend=sw ") &&
                  strstr(hello, "config=full ") && strstr(hello, "uid="),
              "%s", hello);
    unsigned epoch = epoch_of(hello);
    cr_expect_neq(epoch, 0u);

    say("p\n");
    expect_line("ping: ", line, sizeof line);
    cr_expect_eq(epoch_of(line), epoch, "%s", line);
    cr_expect(strstr(line, "reset") == NULL, "%s", line);

    say("r\n");
    expect_line("reset: ", line, sizeof line);
    cr_expect(strstr(line, "unchanged") == NULL, "%s", line);
    expect_line("hello: ", again, sizeof again);
    unsigned fresh = epoch_of(again);
    cr_expect_neq(fresh, epoch, "a reset gives a new epoch: %s", again);
    char want[64];
    snprintf(want, sizeof want, "0x%08x -> 0x%08x", epoch, fresh);
    cr_expect(strstr(line, want) != NULL, "%s (want %s)", line, want);

    say("p\n");
    expect_line("ping: ", line, sizeof line);
    cr_expect_eq(epoch_of(line), fresh, "%s", line);

    say("s\n");
    expect_line("link: frames tx ", line, sizeof line);
    say("q\n");
    cr_expect_eq(finish(), 0);
}

Test(console, end_of_input_quits_with_0)
{
    char hello[1024];
    start(g_state, NULL);
    expect_line("hello: ", hello, sizeof hello);
    cr_expect_eq(finish(), 0);
}

Test(console, unknown_keys_are_named_not_fatal)
{
    char line[1024];
    start(g_state, NULL);
    expect_line("hello: ", line, sizeof line);
    say("x\n");
    expect_line("keys: ", line, sizeof line); /* the banner */
    expect_line("keys: ", line, sizeof line);
    cr_expect(strstr(line, "'x'") != NULL, "%s", line);
    say("q\n");
    cr_expect_eq(finish(), 0);
}

Test(console, no_target_is_exit_3)
{
    char empty[4200];
    fresh_dir("console-no-images", empty, sizeof empty);
    start(g_state, empty);
    cr_expect_eq(finish(), 3);
}

/* A board on a serial port: the sim agent behind the fake VCP, reached
 * through libserialport. CTRL_RESET ends the agent, the fake board starts it
 * again, and the console finds the new agent on the same port. */
Test(console, reset_on_a_serial_board_behind_the_fake_vcp)
{
    char path[4200], hello[1024], line[1024], again[1024];
    snprintf(path, sizeof path, "%s/tests/serial/fake-vcp", getenv("TLSRIG_BUILD_DIR"));
    if (access(path, X_OK) != 0) {
        cr_skip_test("fake-vcp not built (tests/serial)");
    }
    start_on("sim-serial", true, g_state, NULL);
    expect_line("hello: ", hello, sizeof hello);
    unsigned epoch = epoch_of(hello);
    say("r\n");
    expect_line("reset: ", line, sizeof line);
    expect_line("hello: ", again, sizeof again);
    cr_expect_neq(epoch_of(again), epoch, "%s", again);
    cr_expect(strstr(line, "unchanged") == NULL, "%s", line);
    say("p\n");
    expect_line("ping: ", line, sizeof line);
    cr_expect_eq(epoch_of(line), epoch_of(again), "%s", line);
    say("q\n");
    cr_expect_eq(finish(), 0);
}
