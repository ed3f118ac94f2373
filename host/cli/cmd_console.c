/* tlsrig console --board B [--backend sw|hw] [--config P]: the bench
 * engineer's view of a board (docs/boards.md, "tlsrig console"). Starts or
 * attaches the target through target_session_start, prints the agent's HELLO,
 * then streams its LOG text and the link counters. Keys (or lines, when stdin
 * is not a terminal): r reset (CTRL_RESET, then the new HELLO and epoch),
 * p ping, s counters, q quit. A silent or dead target is restarted once per
 * death; when it cannot be, exit 3. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "board_config.h"
#include "board_lock.h"
#include "commands.h"
#include "heartbeat.h"
#include "proto.h"
#include "quarantine.h"
#include "target_session.h"

typedef struct console {
    target_session_t ts;
    heartbeat_t hb;
    char line[1024]; /* a LOG line not yet ended by '\n' */
    size_t line_len;
    link_stats_t shown; /* counters last printed */
    uint32_t shown_at_ms;
    char cmd[256]; /* a command line from a non-terminal stdin */
    size_t cmd_len;
    bool tty;
} console_t;

/* timeouts.heartbeat_ms when the board file leaves it out (docs/formats.md). */
#define CONSOLE_HEARTBEAT_MS 2000u
/* One HELLO attempt while a board resets (board_hello_after_reset). */
#define RESET_HELLO_TRY_MS 500u

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
    g_stop = sig;
}

/* The agent's text is outside input: printable ASCII and tabs go through,
 * anything else as \xNN, so no byte from a target can drive the terminal. */
static void print_log_line(const char *s, size_t n)
{
    fputs("log: ", stdout);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 0x20 && c < 0x7f) || c == '\t') {
            putchar(c);
        } else if (c != '\r') {
            printf("\\x%02x", c);
        }
    }
    putchar('\n');
}

static void take_log(console_t *c, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\n' || c->line_len == sizeof c->line) {
            print_log_line(c->line, c->line_len);
            c->line_len = 0;
            if (p[i] == '\n') {
                continue;
            }
        }
        c->line[c->line_len++] = (char)p[i];
    }
}

/* Messages besides answers: LOG is shown, the rest (a stray TUNNEL or RESULT
 * from an interrupted scenario) is dropped. */
static void on_message(void *ctx, host_msg_t *m)
{
    console_t *c = ctx;
    if (m->channel == LINK_CH_LOG && m->type == LOG_TEXT) {
        take_log(c, m->payload, m->len);
    }
    free(m);
}

static void drain(console_t *c)
{
    host_msg_t *m;
    while ((m = host_link_pop(&c->ts.link)) != NULL) {
        on_message(c, m);
    }
}

static void print_hello(const agent_info_t *i)
{
    printf("hello: board=%s build=%s backend=%s config=%s mbedtls=%s uid=%s epoch=0x%08x "
           "uptime_ms=%u\n",
           i->board, i->build_id, i->backend, i->config, i->mbedtls_version, i->device_uid,
           (unsigned)i->session_epoch, (unsigned)i->uptime_ms);
}

static void print_counters(console_t *c)
{
    link_stats_t s = host_link_stats(&c->ts.link);
    printf("link: frames tx %u rx %u, bytes tx %u rx %u, retransmits %u, crc errors %u, "
           "resyncs %u, duplicates %u, log dropped %u, gave up %u\n",
           s.frames_tx, s.frames_rx, s.bytes_tx, s.bytes_rx, s.retransmits, s.crc_errors, s.resyncs,
           s.duplicates, s.log_dropped, s.gave_up);
    c->shown = s;
    c->shown_at_ms = host_now_ms();
}

/* Counters when the link's health changed, at most once a second. */
static void maybe_counters(console_t *c)
{
    link_stats_t s = host_link_stats(&c->ts.link);
    bool changed = s.retransmits != c->shown.retransmits || s.crc_errors != c->shown.crc_errors ||
                   s.resyncs != c->shown.resyncs || s.log_dropped != c->shown.log_dropped ||
                   s.gave_up != c->shown.gave_up;
    if (changed && host_now_ms() - c->shown_at_ms >= 1000u) {
        print_counters(c);
    }
}

/* After a restart or reset: a new session, watched from its HELLO on. */
static void watch(console_t *c)
{
    uint32_t period = c->ts.board->timeouts.heartbeat_ms;
    heartbeat_init(&c->hb, &c->ts.link, &c->ts.info, period ? period : CONSOLE_HEARTBEAT_MS);
}

/* The target died or fell silent: one restart. 0, or -1 (exit 3). */
static int revive(console_t *c, const char *why)
{
    char err[1024];
    printf("target: %s; restarting\n", why);
    fflush(stdout);
    if (target_session_restart(&c->ts, err, sizeof err) != 0) {
        fprintf(stderr, "tlsrig console: the target could not be restarted: %s\n", err);
        return -1;
    }
    print_hello(&c->ts.info);
    watch(c);
    return 0;
}

/* A board after CTRL_RESET: the same transport, a fresh link state for the
 * new agent (its sequence numbers start again). Until the old agent has
 * actually reset (it waits up to 1 s for our ack), it would take a HELLO
 * with seq 0 as a duplicate, ack it and never answer: so short HELLOs on a
 * fresh link, with CTRL seq 0 and 128 by turns (board_session.c: one of the
 * two reaches any receiver), until one is answered with a new epoch or
 * restart_ms has passed. 0, or -1 with err. */
static int board_hello_after_reset(console_t *c, uint32_t old, char *err, size_t errlen)
{
    const uint32_t deadline = c->ts.board->timeouts.restart_ms;
    int fd = c->ts.link.fd;
    bool same = false;
    uint32_t t0 = host_now_ms();
    for (unsigned i = 0; host_now_ms() - t0 < deadline; i++) {
        host_link_free(&c->ts.link);
        host_link_init(&c->ts.link, fd);
        (void)link_join(&c->ts.link.link, LINK_CH_CTRL, (uint8_t)(i % 2 ? 128 : 0));
        if (agent_hello(&c->ts.link, &c->ts.info, RESET_HELLO_TRY_MS, err, errlen) == 0) {
            if (!agent_reset_detected(&(agent_info_t){.session_epoch = old},
                                      c->ts.info.session_epoch)) {
                same = true; /* no reset (yet): keep asking until the deadline */
                continue;
            }
            return 0;
        }
        if (host_link_dead(&c->ts.link)) {
            return -1;
        }
    }
    if (same) {
        return 0; /* answered, with the old epoch: reported as unchanged */
    }
    snprintf(err, errlen, "no HELLO within %u ms after the reset", (unsigned)deadline);
    return -1;
}

/* CTRL_RESET, then the new agent's HELLO. A process target (sim, QEMU) ends
 * and is started again; a board keeps its link and boots its image. */
static int do_reset(console_t *c)
{
    char err[1024];
    const board_config_t *b = c->ts.board;
    uint32_t old = c->ts.info.session_epoch;
    if (agent_reset(&c->ts.link, b->timeouts.hello_ms, err, sizeof err) != 0) {
        printf("reset: refused or unanswered: %s\n", err);
        return host_link_dead(&c->ts.link) ? revive(c, "link lost during reset") : 0;
    }
    uint32_t t0 = host_now_ms();
    if (c->ts.handle.pid > 0) {
        /* Wait for the process to end (its link closes), then start it again. */
        while (!host_link_dead(&c->ts.link) && host_now_ms() - t0 < b->timeouts.restart_ms) {
            host_link_pump(&c->ts.link, 50);
            drain(c);
        }
        if (target_session_restart(&c->ts, err, sizeof err) != 0) {
            fprintf(stderr, "tlsrig console: no agent after the reset: %s\n", err);
            return -1;
        }
    } else if (board_hello_after_reset(c, old, err, sizeof err) != 0) {
        return revive(c, err);
    }
    printf("reset: epoch 0x%08x -> 0x%08x%s\n", (unsigned)old, (unsigned)c->ts.info.session_epoch,
           agent_reset_detected(&(agent_info_t){.session_epoch = old}, c->ts.info.session_epoch)
               ? ""
               : " (unchanged: the agent did not reset)");
    print_hello(&c->ts.info);
    watch(c);
    return 0;
}

static int do_ping(console_t *c)
{
    char err[512];
    agent_pulse_t p;
    if (agent_ping(&c->ts.link, &p, c->ts.board->timeouts.hello_ms, on_message, c, err,
                   sizeof err) != 0) {
        printf("ping: %s\n", err);
        return host_link_dead(&c->ts.link) ? revive(c, "link lost during ping") : 0;
    }
    printf("ping: epoch=0x%08x uptime_ms=%u%s\n", (unsigned)p.session_epoch, (unsigned)p.uptime_ms,
           agent_reset_detected(&c->ts.info, p.session_epoch) ? " (the agent reset)" : "");
    if (agent_reset_detected(&c->ts.info, p.session_epoch)) {
        c->ts.info.session_epoch = p.session_epoch;
        watch(c);
    }
    return 0;
}

/* One command. 1 quit, 0 go on, -1 the target is gone for good. */
static int command(console_t *c, char key)
{
    switch (key) {
    case 'q':
        return 1;
    case 'r':
        return do_reset(c);
    case 'p':
        return do_ping(c);
    case 's':
        print_counters(c);
        return 0;
    default:
        printf("keys: r reset, p ping, s counters, q quit (not '%c')\n",
               key >= 0x20 && key < 0x7f ? key : '?');
        return 0;
    }
}

/* stdin: a key (terminal) or a line (pipe, file). 1 quit (also at end of
 * input), 0 go on, -1 target gone. */
static int on_stdin(console_t *c)
{
    char buf[256];
    ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
    if (n < 0 && errno == EINTR) {
        return 0;
    }
    if (n <= 0) {
        return 1;
    }
    for (ssize_t i = 0; i < n; i++) {
        int rc = 0;
        if (c->tty) {
            rc = buf[i] == '\n' || buf[i] == ' ' ? 0 : command(c, buf[i]);
        } else if (buf[i] == '\n') {
            c->cmd[c->cmd_len] = '\0';
            const char *s = c->cmd + strspn(c->cmd, " \t\r");
            rc = s[0] ? command(c, s[0]) : 0;
            c->cmd_len = 0;
        } else if (c->cmd_len + 1 < sizeof c->cmd) {
            c->cmd[c->cmd_len++] = buf[i];
        }
        fflush(stdout);
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

static int loop(console_t *c)
{
    char why[256];
    for (;;) {
        if (g_stop) {
            return 1;
        }
        struct pollfd p[2] = {{.fd = STDIN_FILENO, .events = POLLIN},
                              {.fd = c->ts.link.fd, .events = POLLIN}};
        int r = poll(p, 2, 100);
        if (r < 0 && errno != EINTR) {
            return -1;
        }
        if (r > 0 && (p[1].revents & (POLLIN | POLLHUP | POLLERR))) {
            host_link_on_readable(&c->ts.link);
        } else {
            host_link_service(&c->ts.link);
        }
        drain(c);
        maybe_counters(c);
        if (r > 0 && (p[0].revents & (POLLIN | POLLHUP | POLLERR))) {
            int rc = on_stdin(c);
            if (rc != 0) {
                return rc;
            }
        }
        heartbeat_verdict_t v =
            heartbeat_check(&c->hb, &c->ts.link, on_message, c, why, sizeof why);
        if (v == HEARTBEAT_RESET) {
            printf("target: the agent reset on its own (%s)\n", why);
            if (revive(c, "reconnecting after its reset") != 0) {
                return -1;
            }
        } else if (v == HEARTBEAT_SILENT && revive(c, why) != 0) {
            return -1;
        }
        fflush(stdout);
    }
}

static int usage(void)
{
    fprintf(stderr, "usage: tlsrig console --board B [--backend sw|hw] [--config P]\n");
    return 2;
}

int cmd_console(int argc, char **argv)
{
    const char *board = NULL, *backend = "sw", *config = "full";
    for (int i = 1; i < argc; i++) {
        if (i + 1 < argc && strcmp(argv[i], "--board") == 0) {
            board = argv[++i];
        } else if (i + 1 < argc && strcmp(argv[i], "--backend") == 0) {
            backend = argv[++i];
        } else if (i + 1 < argc && strcmp(argv[i], "--config") == 0) {
            config = argv[++i];
        } else {
            return usage();
        }
    }
    if (!board || (strcmp(backend, "sw") != 0 && strcmp(backend, "hw") != 0)) {
        return usage();
    }
    char dir[4200], err[1024], image[4400], log[4500];
    snprintf(dir, sizeof dir, "%s/rig-config/boards", cli_source_dir());
    board_config_t *b = board_config_load(dir, board, err, sizeof err);
    if (!b) {
        fprintf(stderr, "tlsrig console: %s\n", err);
        return 2;
    }
    quarantine_info_t q;
    if (quarantine_get(board, &q, err, sizeof err) == 0 && q.quarantined) {
        /* The console is how a person looks at a quarantined board: warn only. */
        printf("note: %s is quarantined (%s); `tlsrig unquarantine %s` once fixed\n", board, q.path,
               board);
    }
    snprintf(image, sizeof image, "%s/images/tlsrig-agent-%s-%s-%s", cli_build_dir(),
             board_firmware(b), backend, config);
    snprintf(log, sizeof log, "%s.console.log", image);
    static console_t c; /* large; one per process */
    memset(&c, 0, sizeof c);
    c.tty = isatty(STDIN_FILENO) == 1;
    struct termios saved;
    bool raw = false;
    if (c.tty && tcgetattr(STDIN_FILENO, &saved) == 0) {
        struct termios t = saved;
        t.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
        raw = tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0;
    }
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    int rc = 3;
    board_lock_t lock = {.fd = -1};
    printf("console: %s, image %s (agent stderr: %s)\n", board, image, log);
    /* A real board is driven by one job at a time (as tlsrig run and flash). */
    if (b->kind == BOARD_HW && board_lock_acquire(b->name, 0, &lock, err, sizeof err) != 0) {
        fprintf(stderr, "tlsrig console: %s\n", err);
        goto cleanup;
    }
    if (target_session_start(&c.ts, b, image, backend, config, log, NULL, 0, err, sizeof err) !=
        0) {
        fprintf(stderr, "tlsrig console: %s\n", err);
        goto cleanup;
    }
    print_hello(&c.ts.info);
    printf("keys: r reset, p ping, s counters, q quit\n");
    fflush(stdout);
    watch(&c);
    c.shown = host_link_stats(&c.ts.link);
    int r = loop(&c);
    if (c.line_len > 0) {
        print_log_line(c.line, c.line_len);
    }
    print_counters(&c);
    rc = r == 1 ? (g_stop == SIGTERM ? 143 : g_stop == SIGINT ? 130 : 0) : 3;
cleanup:
    fflush(stdout);
    target_session_stop(&c.ts);
    board_lock_release(&lock);
    if (raw) {
        tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    }
    board_config_free(b);
    return rc;
}
