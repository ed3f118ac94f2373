/* Real boards: skip-or-flash, reopen, HELLO; reset and HELLO on restart.
 *
 * Joining an agent that ran before (the skip check) meets its link state
 * from the previous session: it expects some CTRL sequence number r and
 * takes a frame only when (seq - r) mod 256 < 128. A HELLO sent with seq 0
 * and, failing that, with seq 128 reaches any r. After a skip the board is
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
        ts->link.link.tx[LINK_CH_CTRL].seq = first_seq[i];
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

int board_session_restart(target_session_t *ts, char *err, size_t errlen)
{
    /* TODO(lead, recovery): when this fails, climb the ladder with
     * recovery_run() (host/board/recovery.h) with ops built from
     * reopen_and_hello (resync), reset_board + reopen_and_hello (probe
     * reset) and board_port_find with reenumerate_ms (rediscover); not wired
     * here because recovery.c lives on the recovery branch. */
    board_session_close(ts);
    if (reset_board(ts, err, errlen) != 0) {
        return -1;
    }
    return reopen_and_hello(ts, ts->board->timeouts.restart_ms, err, errlen);
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
