/* Real boards: skip-or-flash, reopen, HELLO; reset and HELLO on restart.
 *
 * Joining an agent that ran before (the skip check) meets its link state
 * from the previous session: it expects some CTRL sequence number r. A
 * HELLO started with link_join (a SYNC first) at seq 0 and, failing
 * that, at seq 128 reaches any r. After a skip the board is
 * reset anyway, so every session starts with a fresh agent and fresh link
 * state on both sides. */
#define _POSIX_C_SOURCE 200809L
#include "board_session.h"

#include <poll.h>
#include <stdio.h>
#include <string.h>

#include "board_flasher.h"
#include "board_port.h"
#include "transport.h"
#include "usb_power.h"

/* The skip check asks a running agent; one that is not there must not cost long. */
#define PROBE_HELLO_MS 1500u

static serial_line_t line_of(board_line_t l)
{
    return l == BOARD_LINE_LOW    ? SERIAL_LINE_LOW
           : l == BOARD_LINE_HIGH ? SERIAL_LINE_HIGH
                                  : SERIAL_LINE_LEAVE;
}

void board_session_close(target_session_t *ts)
{
    if (ts->link_open) {
        host_link_free(&ts->link);
        ts->link_open = false;
    }
    transport_close(ts->transport);
    ts->transport = NULL;
    ts->handle.link_fd = -1;
}

/* Find the port (waiting up to wait_ms for it to come back) and open it. */
static int open_port(target_session_t *ts, unsigned wait_ms, char *err, size_t errlen)
{
    char path[256], why[1024];
    const board_config_t *b = ts->board;
    if (board_port_find(b, wait_ms, path, sizeof path, why, sizeof why) != 0) {
        snprintf(err, errlen, "%s", why);
        ts->cause = INFRA_LINK_ERROR;
        return -1;
    }
    serial_settings_t s = {.baud = b->link.baud,
                           .parity = SERIAL_PARITY_NONE,
                           .dtr = line_of(b->link.dtr),
                           .rts = line_of(b->link.rts)};
    ts->transport = transport_open_serial(path, &s, why, sizeof why);
    if (!ts->transport) {
        snprintf(err, errlen, "board %s: %s", b->name, why);
        ts->cause = INFRA_LINK_ERROR;
        return -1;
    }
    ts->handle.link_fd = transport_fd(ts->transport);
    host_link_init(&ts->link, ts->handle.link_fd);
    ts->link_open = true;
    return 0;
}

static int hello(target_session_t *ts, uint32_t wait_ms, char *err, size_t errlen)
{
    char why[512];
    if (agent_hello(&ts->link, &ts->info, wait_ms, why, sizeof why) != 0) {
        snprintf(err, errlen, "%s: no HELLO from the agent on %s within %u ms: %s", ts->board->name,
                 transport_name(ts->transport), wait_ms, why);
        ts->cause = INFRA_LINK_ERROR;
        return -1;
    }
    heartbeat_init(&ts->heartbeat, &ts->link, &ts->info, ts->board->timeouts.heartbeat_ms);
    return 0;
}

/* Ask whatever runs now, with CTRL seq 0 then 128 (see the top). */
static bool running_agent_answers(target_session_t *ts)
{
    char why[512];
    static const uint8_t first_seq[] = {0, 128};
    for (size_t i = 0; i < sizeof first_seq; i++) {
        host_link_free(&ts->link);
        host_link_init(&ts->link, ts->handle.link_fd);
        (void)link_join(&ts->link.link, LINK_CH_CTRL, first_seq[i]); /* fresh: not busy */
        if (agent_hello(&ts->link, &ts->info, PROBE_HELLO_MS, why, sizeof why) == 0) {
            return true;
        }
        if (host_link_dead(&ts->link)) {
            return false;
        }
    }
    return false;
}

static bool runs_expected_build(const target_session_t *ts)
{
    return strcmp(ts->info.build_id, ts->expected_build_id) == 0 &&
           strcmp(ts->info.backend, ts->expected_backend) == 0 &&
           strcmp(ts->info.config, ts->expected_config) == 0 &&
           strcmp(ts->info.board, board_firmware(ts->board)) == 0;
}

static int reset_board(target_session_t *ts, char *err, size_t errlen)
{
    char why[1024];
    const board_config_t *b = ts->board;
    int rc;
    if (b->reset_command) {
        rc = board_flasher_command.reset(b, why, sizeof why);
    } else if (ts->board_flasher->reset) {
        rc = ts->board_flasher->reset(b, why, sizeof why);
    } else {
        snprintf(why, sizeof why, "flasher %s cannot reset and there is no reset_command",
                 ts->board_flasher->name);
        rc = -1;
    }
    if (rc != 0) {
        snprintf(err, errlen, "%s: reset failed: %s", b->name, why);
        ts->cause = INFRA_FLASH_ERROR;
    }
    return rc;
}

/* After a program or reset: the VCP may re-enumerate under another name. */
static int reopen_and_hello(target_session_t *ts, uint32_t hello_ms, char *err, size_t errlen)
{
    board_session_close(ts);
    if (open_port(ts, ts->board->timeouts.reenumerate_ms, err, errlen) != 0) {
        return -1;
    }
    return hello(ts, hello_ms, err, errlen);
}

int board_session_bring_up(target_session_t *ts, char *err, size_t errlen)
{
    const board_config_t *b = ts->board;
    char why[1024];
    ts->board_flasher = board_flasher_for(b, err, errlen);
    if (!ts->board_flasher) {
        ts->cause = INFRA_FLASH_ERROR;
        return -1;
    }
    board_flasher_set_console_log(ts->console_log);
    memset(&ts->flash, 0, sizeof ts->flash);
    if (open_port(ts, 0, err, errlen) != 0) {
        return -1;
    }
    bool answered = running_agent_answers(ts);
    if (answered && runs_expected_build(ts)) {
        ts->flash_skipped = true;
        snprintf(ts->flash_reason, sizeof ts->flash_reason, "build already running");
        snprintf(ts->flash.probe_serial, sizeof ts->flash.probe_serial, "%s",
                 b->usb && b->usb->serial ? b->usb->serial : "");
        /* A fresh agent for this session all the same (see the top). */
        board_session_close(ts);
        if (reset_board(ts, err, errlen) != 0) {
            return -1;
        }
        return reopen_and_hello(ts, b->timeouts.hello_ms, err, errlen);
    }
    if (answered) {
        snprintf(ts->flash_reason, sizeof ts->flash_reason, "the board ran %s build %s (%s/%s)",
                 ts->info.board, ts->info.build_id, ts->info.backend, ts->info.config);
    } else {
        snprintf(ts->flash_reason, sizeof ts->flash_reason, "no agent answered HELLO");
    }
    board_session_close(ts);
    ts->flash_skipped = false;
    if (ts->board_flasher->program(b, ts->image, &ts->flash, why, sizeof why) != 0) {
        snprintf(err, errlen, "%s: flashing %s with %s failed: %s", b->name, ts->image,
                 ts->board_flasher->name, why);
        ts->cause = INFRA_FLASH_ERROR;
        return -1;
    }
    return reopen_and_hello(ts, b->timeouts.hello_ms, err, errlen);
}

/* The rungs of the recovery ladder (recovery.h) on this session. */
typedef struct rung_ctx {
    target_session_t *ts;
    uint32_t old_epoch; /* the session the scenario ran in */
} rung_ctx_t;

/* Rung 1: the agent restarted by itself (watchdog, panic, a crash the port
 * turned into a reset): the same port answers HELLO with a NEW session epoch.
 * An agent that answers with the old epoch did not restart: its session is
 * broken, so this rung fails and the board is reset. */
static int rung_resync(void *c, char *why, size_t cap)
{
    rung_ctx_t *rc = c;
    target_session_t *ts = rc->ts;
    char err[1024];
    board_session_close(ts);
    if (open_port(ts, 0, err, sizeof err) != 0) {
        snprintf(why, cap, "%s", err);
        return -1;
    }
    if (!running_agent_answers(ts)) {
        snprintf(why, cap, "no HELLO on %s (CTRL seq 0 and 128, %u ms each)",
                 transport_name(ts->transport), PROBE_HELLO_MS);
        return -1;
    }
    if (ts->info.session_epoch == rc->old_epoch) {
        snprintf(why, cap,
                 "the agent answers in the same session (epoch %08x): it did not restart, so its "
                 "state is not trusted",
                 (unsigned)rc->old_epoch);
        return -1;
    }
    /* The HELLO that answered was the new agent's first CTRL frame: the link
     * goes on from there on both sides (a second HELLO with seq 0 would be a
     * duplicate to it). */
    heartbeat_init(&ts->heartbeat, &ts->link, &ts->info, ts->board->timeouts.heartbeat_ms);
    snprintf(why, cap, "the agent restarted by itself (session epoch %08x -> %08x, reset cause %s)",
             (unsigned)rc->old_epoch, (unsigned)ts->info.session_epoch,
             ts->info.reset_cause[0] ? ts->info.reset_cause : "not reported");
    return 0;
}

/* Rung 2: reset through the probe (or reset_command), then the VCP and HELLO. */
static int rung_probe_reset(void *c, char *why, size_t cap)
{
    target_session_t *ts = ((rung_ctx_t *)c)->ts;
    char err[1024];
    board_session_close(ts);
    if (!ts->board->reset_command && !ts->board_flasher->reset) {
        snprintf(why, cap, "flasher %s cannot reset and the board file has no reset_command",
                 ts->board_flasher->name);
        return -2;
    }
    if (reset_board(ts, err, sizeof err) != 0 ||
        reopen_and_hello(ts, ts->board->timeouts.restart_ms, err, sizeof err) != 0) {
        snprintf(why, cap, "%s", err);
        return -1;
    }
    snprintf(why, cap, "reset through %s, HELLO on %s",
             ts->board->reset_command ? "reset_command" : ts->board_flasher->name,
             transport_name(ts->transport));
    return 0;
}

/* Rung 3: the hub port the probe hangs on, off and on (usb.hub, usb.port). */
static int rung_power_cycle(void *c, char *why, size_t cap)
{
    target_session_t *ts = ((rung_ctx_t *)c)->ts;
    char port[256], err[1024];
    board_session_close(ts);
    int r = usb_power_cycle(ts->board, port, sizeof port, why, cap);
    if (r != 0) {
        return r;
    }
    if (reopen_and_hello(ts, ts->board->timeouts.restart_ms, err, sizeof err) != 0) {
        snprintf(why, cap, "power cycled, then: %s", err);
        return -1;
    }
    snprintf(why, cap, "hub %s port %u power cycled, HELLO on %s", ts->board->usb->hub,
             (unsigned)ts->board->usb->port, transport_name(ts->transport));
    return 0;
}

/* Rung 4: the probe by serial wherever it is now (its tty may have another
 * number), reset, HELLO. */
static int rung_rediscover(void *c, char *why, size_t cap)
{
    target_session_t *ts = ((rung_ctx_t *)c)->ts;
    char port[256], err[1024];
    board_session_close(ts);
    int r = usb_rediscover(ts->board, port, sizeof port, why, cap);
    if (r != 0) {
        return r;
    }
    if ((ts->board->reset_command || ts->board_flasher->reset) &&
        reset_board(ts, err, sizeof err) != 0) {
        snprintf(why, cap, "probe found (%s), then: %s", port, err);
        return -1;
    }
    if (reopen_and_hello(ts, ts->board->timeouts.restart_ms, err, sizeof err) != 0) {
        snprintf(why, cap, "probe found (%s), then: %s", port, err);
        return -1;
    }
    snprintf(why, cap, "probe found again, HELLO on %s", transport_name(ts->transport));
    return 0;
}

int board_session_restart(target_session_t *ts, char *err, size_t errlen)
{
    rung_ctx_t ctx = {.ts = ts, .old_epoch = ts->info.session_epoch};
    recovery_ops_t ops = {.ctx = &ctx,
                          .resync = rung_resync,
                          .probe_reset = rung_probe_reset,
                          .power_cycle = rung_power_cycle,
                          .rediscover = rung_rediscover};
    char qerr[512] = "";
    memset(&ts->recovery, 0, sizeof ts->recovery);
    ts->has_recovery = true;
    if (recovery_run(ts->board->name, &ops, &ts->recovery, qerr, sizeof qerr) == 0) {
        return 0;
    }
    board_session_close(ts);
    ts->cause = INFRA_LINK_ERROR;
    if (ts->recovery.quarantined) {
        snprintf(err, errlen,
                 "%s stopped answering and no rung of the recovery ladder brought it back: "
                 "quarantined until `tlsrig unquarantine %s`",
                 ts->board->name, ts->board->name);
    } else {
        snprintf(err, errlen,
                 "%s stopped answering, no rung of the recovery ladder brought it back, and it "
                 "could not be quarantined: %s",
                 ts->board->name, qerr);
    }
    return -1;
}

static bool board_alive(target_handle_t *t, char *why, size_t cap)
{
    struct pollfd p = {.fd = t->link_fd, .events = POLLIN};
    if (t->link_fd < 0) {
        snprintf(why, cap, "serial port closed");
        return false;
    }
    if (poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLERR | POLLNVAL))) {
        snprintf(why, cap, "the serial port hung up (board unplugged or reset its USB)");
        return false;
    }
    return true;
}

static void board_stop(target_handle_t *t)
{
    /* The transport owns the fd: board_session_close closes it. */
    t->link_fd = -1;
}

const flasher_t flasher_board_link = {
    .name = "board",
    .start = NULL,
    .alive = board_alive,
    .stop = board_stop,
};
