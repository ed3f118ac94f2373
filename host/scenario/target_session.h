/* A running target with a given image: started through its board's flasher,
 * link open, identity checked with HELLO against the image's build id. */
#ifndef TLSRIG_TARGET_SESSION_H
#define TLSRIG_TARGET_SESSION_H

#include <stdbool.h>

#include "agent_rpc.h"
#include "board_config.h"
#include "board_flasher.h"
#include "flasher.h"
#include "host_link.h"
#include "infra_cause.h"
#include "heartbeat.h"
#include "log_decode.h"
#include "recovery.h"
#include "transport.h"

typedef struct target_session {
    const board_config_t *board;
    const flasher_t *flasher;
    target_handle_t handle;
    host_link_t link;
    bool link_open;
    agent_info_t info;
    char image[4096];
    char expected_build_id[64];
    char expected_backend[8];
    char expected_config[32];
    char console_log[4096];
    unsigned restarts;
    /* sim hw images: a crypto fault armed after every start (--inject-fault). */
    char fault[32];
    uint32_t fault_every;
    infra_cause_t cause; /* of the last failed start or restart */
    /* kind board only (board_session.c): */
    transport_t *transport; /* the serial port, owned */
    const board_flasher_t *board_flasher;
    bool flash_skipped;     /* the board already ran the expected build */
    flash_report_t flash;   /* of the program() at start (zeroed when skipped) */
    char flash_reason[160]; /* why it was skipped or programmed */
    /* The last restart's recovery ladder (boards): which rung brought the
     * board back, every rung tried; valid while has_recovery. */
    recovery_outcome_t recovery;
    bool has_recovery;
    heartbeat_t heartbeat; /* boards: is the agent alive between scenarios */
    /* The trust list this agent holds (it keeps it until CA_CLEAR or its
     * own restart): a copy of what was uploaded (malloc'd, freed by stop),
     * in which agent session. A scenario with the same list skips the
     * upload (scenario_exec.c). */
    uint8_t *ca_copy; /* NULL: unknown */
    size_t ca_len;
    uint32_t ca_epoch;
    unsigned ca_restarts;
    /* Compact debug log records of this agent session (scenario_exec.c);
     * forgotten at every restart, freed by target_session_stop. */
    log_decoder_t *log_decoder;
    unsigned log_decoder_restarts;
} target_session_t;

/* Start the image and check that the intended board runs the intended
 * build; -1 with err otherwise (an infrastructure error). */
int target_session_start(target_session_t *ts, const board_config_t *b, const char *image,
                         const char *backend, const char *config, const char *console_log,
                         const char *fault, uint32_t fault_every, char *err, size_t errlen);
/* Stop and start again with the same image (after a crash or hang); the
 * new agent holds no trust list. */
int target_session_restart(target_session_t *ts, char *err, size_t errlen);
void target_session_stop(target_session_t *ts);

/* Boards, before a scenario: the link heartbeat (heartbeat.h). true when the
 * agent answered as the same session; false with why when it is silent or
 * restarted by itself (the caller restarts the session, which climbs the
 * recovery ladder). Always true for sim and QEMU (their process is watched). */
bool target_session_alive(target_session_t *ts, char *why, size_t cap);

/* Boards: {"outcome": "skipped"|"programmed", "reason", "seconds", "flasher",
 * "bytes", "probe_serial"} for results.jsonl; NULL for sim and QEMU. */
#include <jansson.h>
json_t *target_session_flash_json(const target_session_t *ts);

#endif
