/* Flashers: put an image on a target and start it, tell whether it still
 * runs, stop it. One interface for sim (spawn), QEMU (restart the machine)
 * and boards (ST-Link, DfuSe, external command). */
#ifndef TLSRIG_FLASHER_H
#define TLSRIG_FLASHER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "board_config.h"

typedef struct target_handle {
    pid_t pid;   /* sim/QEMU process, or 0 */
    int link_fd; /* the link transport, -1 when closed */
    char image[4096];
    char console_log[4096]; /* where the process's stderr goes */
    bool hard_fault;        /* alive() saw the firmware stop with a CPU fault report */
} target_handle_t;

typedef struct flasher {
    const char *name;
    /* Flash (or spawn) the image and open the link. 0, or -1 with err set. */
    int (*start)(const board_config_t *b, const char *image, const char *console_log,
                 target_handle_t *t, char *err, size_t errlen);
    /* true while the target runs; otherwise why (exit status, signal). */
    bool (*alive)(target_handle_t *t, char *why, size_t cap);
    void (*stop)(target_handle_t *t);
} flasher_t;

/* Stop for targets that are local processes (sim, QEMU): close the link,
 * kill the process, reap it. */
void flasher_stop_process(target_handle_t *t);

/* The flasher for a board, or NULL with err set when not built here. */
const flasher_t *flasher_for(const board_config_t *b, char *err, size_t errlen);

/* Make the image current: nothing when its inputs did not change since its
 * last build (image_stamp.h), else `cmake --build <build_dir> --target
 * <target>`; output (and which of the two, why) appended to log_path.
 * 0, or -1 with err set. */
int image_build(const char *build_dir, const char *target, const char *log_path, char *err,
                size_t errlen);
/* The line image_build appends to log_path about its check (current, or why it builds). */
void image_build_note(const char *log_path, const char *target, bool current, const char *why);

#endif
