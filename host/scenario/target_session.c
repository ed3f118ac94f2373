#define _POSIX_C_SOURCE 200809L
#include "target_session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board_port.h"
#include "board_session.h"
#include "flash_qemu.h"
#include "infra_classify.h"

static int read_build_id(const char *image, char *out, size_t cap)
{
    char path[4200];
    snprintf(path, sizeof path, "%s.buildid", image);
    FILE *f = fopen(path, "r");
    if (!f) {
        return -1;
    }
    char line[128] = "";
    char *ok = fgets(line, sizeof line, f);
    fclose(f);
    if (!ok) {
        return -1;
    }
    line[strcspn(line, "\r\n")] = '\0';
    snprintf(out, cap, "%s", line);
    return 0;
}

/* The QEMU firmware's RNG reads 0, on kind qemu and behind a fake VCP alike:
 * its DRBG waits for a seed from us. */
static bool needs_host_seed(const target_session_t *ts)
{
    return ts->board->kind == BOARD_QEMU || strcmp(ts->info.board, "qemu-f405") == 0;
}

/* sim and QEMU: start the process, open its link, HELLO. */
static int start_and_hello(target_session_t *ts, char *err, size_t errlen)
{
    char why[512];
    if (ts->flasher->start(ts->board, ts->image, ts->console_log, &ts->handle, why, sizeof why) !=
        0) {
        snprintf(err, errlen, "%s: %s", ts->board->name, why);
        ts->cause = INFRA_FLASH_ERROR;
        return -1;
    }
    host_link_init(&ts->link, ts->handle.link_fd);
    ts->link_open = true;
    /* A target restarted after it died may take longer to answer (the board's restart_ms). */
    uint32_t hello_wait =
        ts->restarts ? ts->board->timeouts.restart_ms : ts->board->timeouts.hello_ms;
    if (agent_hello(&ts->link, &ts->info, hello_wait, why, sizeof why) != 0) {
        char status[256] = "";
        ts->cause = infra_classify_rpc(ts->flasher, &ts->handle, agent_rpc_last_failure());
        if (!ts->flasher->alive(&ts->handle, status, sizeof status)) {
            snprintf(err, errlen, "%s: no HELLO from the agent: %s (%s)", ts->board->name, why,
                     status);
        } else {
            snprintf(err, errlen, "%s: no HELLO from the agent: %s", ts->board->name, why);
        }
        return -1;
    }
    return 0;
}

static int boot_and_check(target_session_t *ts, char *err, size_t errlen)
{
    char why[512];
    int rc;
    if (ts->board->kind != BOARD_HW) {
        rc = start_and_hello(ts, err, errlen);
    } else if (ts->restarts) {
        rc = board_session_restart(ts, err, errlen);
    } else {
        rc = board_session_bring_up(ts, err, errlen);
    }
    if (rc != 0) {
        return -1;
    }
    /* The intended board must run the intended build: refuse otherwise. */
    if (strcmp(ts->info.build_id, ts->expected_build_id) != 0 ||
        strcmp(ts->info.backend, ts->expected_backend) != 0 ||
        strcmp(ts->info.config, ts->expected_config) != 0) {
        snprintf(err, errlen,
                 "%s runs build %s (%s/%s), expected %s (%s/%s) from %s: refusing to go on",
                 ts->board->name, ts->info.build_id, ts->info.backend, ts->info.config,
                 ts->expected_build_id, ts->expected_backend, ts->expected_config, ts->image);
        ts->cause = INFRA_FLASH_ERROR;
        return -1;
    }
    if (strcmp(ts->info.board, board_firmware(ts->board)) != 0) {
        snprintf(err, errlen, "agent says it is board '%s', the rig expected '%s'", ts->info.board,
                 board_firmware(ts->board));
        ts->cause = INFRA_FLASH_ERROR;
        return -1;
    }
    /* QEMU's RNG reads 0: the agent's DRBG waits for a seed from us. */
    if (needs_host_seed(ts) &&
        qemu_seed_agent(&ts->link, ts->info.build_id, ts->board->timeouts.hello_ms, why,
                        sizeof why) != 0) {
        snprintf(err, errlen, "%s: %s", ts->board->name, why);
        ts->cause = infra_classify_rpc(ts->flasher, &ts->handle, agent_rpc_last_failure());
        return -1;
    }
    if (ts->fault[0] && agent_inject_fault(&ts->link, ts->fault, ts->fault_every,
                                           ts->board->timeouts.hello_ms, why, sizeof why) != 0) {
        snprintf(err, errlen, "%s: fault '%s' refused: %s", ts->board->name, ts->fault, why);
        ts->cause = infra_classify_rpc(ts->flasher, &ts->handle, agent_rpc_last_failure());
        return -1;
    }
    return 0;
}

int target_session_start(target_session_t *ts, const board_config_t *b, const char *image,
                         const char *backend, const char *config, const char *console_log,
                         const char *fault, uint32_t fault_every, char *err, size_t errlen)
{
    memset(ts, 0, sizeof *ts);
    ts->board = b;
    ts->handle.link_fd = -1;
    snprintf(ts->image, sizeof ts->image, "%s", image);
    snprintf(ts->expected_backend, sizeof ts->expected_backend, "%s", backend);
    snprintf(ts->expected_config, sizeof ts->expected_config, "%s", config);
    snprintf(ts->console_log, sizeof ts->console_log, "%s", console_log);
    snprintf(ts->fault, sizeof ts->fault, "%s", fault ? fault : "");
    ts->fault_every = fault_every;
    ts->cause = INFRA_HOST_ERROR;
    ts->flasher = b->kind == BOARD_HW ? &flasher_board_link : flasher_for(b, err, errlen);
    if (!ts->flasher) {
        return -1;
    }
    /* A board that is not attached is the first thing to say, before any image. */
    char port[256];
    if (b->kind == BOARD_HW && board_port_find(b, 0, port, sizeof port, err, errlen) != 0) {
        ts->cause = INFRA_LINK_ERROR;
        return -1;
    }
    if (read_build_id(image, ts->expected_build_id, sizeof ts->expected_build_id) != 0) {
        snprintf(err, errlen, "%s.buildid missing: rebuild the image", image);
        return -1;
    }
    return boot_and_check(ts, err, errlen);
}

void target_session_stop(target_session_t *ts)
{
    /* A stopped (or restarted) agent holds no trust list. */
    free(ts->ca_copy);
    ts->ca_copy = NULL;
    ts->ca_len = 0;
    if (ts->board && ts->board->kind == BOARD_HW) {
        board_session_close(ts);
    }
    if (ts->link_open) {
        host_link_free(&ts->link);
        ts->link_open = false;
    }
    if (ts->flasher) {
        ts->flasher->stop(&ts->handle);
    }
    log_decoder_free(ts->log_decoder);
    ts->log_decoder = NULL;
}

int target_session_restart(target_session_t *ts, char *err, size_t errlen)
{
    /* A board keeps its port open until board_session_restart has reset it. */
    if (ts->board->kind != BOARD_HW) {
        target_session_stop(ts);
    }
    ts->restarts++;
    return boot_and_check(ts, err, errlen);
}

json_t *target_session_flash_json(const target_session_t *ts)
{
    if (!ts->board || ts->board->kind != BOARD_HW || !ts->board_flasher) {
        return NULL;
    }
    return json_pack("{s:s, s:s, s:f, s:s, s:I, s:s}", "outcome",
                     ts->flash_skipped ? "skipped" : "programmed", "reason", ts->flash_reason,
                     "seconds", ts->flash_skipped ? 0.0 : ts->flash.seconds, "flasher",
                     ts->board_flasher->name, "bytes", (json_int_t)ts->flash.bytes_written,
                     "probe_serial", ts->flash.probe_serial);
}

bool target_session_alive(target_session_t *ts, char *why, size_t cap)
{
    if (!ts->board || ts->board->kind != BOARD_HW || !ts->link_open) {
        return true;
    }
    heartbeat_verdict_t v = heartbeat_check(&ts->heartbeat, &ts->link, NULL, NULL, why, cap);
    return v == HEARTBEAT_ALIVE;
}
