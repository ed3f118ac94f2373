/* The `command` flasher: an external programmer (openocd, st-flash,
 * STM32_Programmer_CLI, a test's fake board) from the board file's
 * flash_command argv, never through a shell; reset through reset_command. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "board_flasher.h"
#include "command_run.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int run_template(const board_config_t *b, char *const *tmpl, unsigned n, const char *image,
                        char *err, size_t errlen)
{
    command_vars_t v = {.image = image ? image : "",
                        .serial = b->usb && b->usb->serial ? b->usb->serial : ""};
    char **argv = NULL;
    if (command_expand(tmpl, n, &v, &argv, err, errlen) != 0) {
        return -1;
    }
    int rc = command_run(argv, b->timeouts.flash_ms, board_flasher_console_log(), err, errlen);
    command_argv_free(argv);
    return rc;
}

static int command_program(const board_config_t *b, const char *image, flash_report_t *rep,
                           char *err, size_t errlen)
{
    memset(rep, 0, sizeof *rep);
    snprintf(rep->probe_serial, sizeof rep->probe_serial, "%s",
             b->usb && b->usb->serial ? b->usb->serial : "");
    if (!b->flash_command) {
        snprintf(err, errlen, "board %s: flasher command without flash_command", b->name);
        return -1;
    }
    double start = now_s();
    int rc = run_template(b, b->flash_command, b->flash_command_count, image, err, errlen);
    rep->seconds = now_s() - start;
    struct stat st;
    if (rc == 0 && stat(image, &st) == 0) {
        rep->bytes_written = (size_t)st.st_size; /* what the command was given */
    }
    return rc;
}

static int command_reset(const board_config_t *b, char *err, size_t errlen)
{
    if (!b->reset_command) {
        snprintf(err, errlen, "board %s: no reset_command: flasher command cannot reset it",
                 b->name);
        return -1;
    }
    return run_template(b, b->reset_command, b->reset_command_count, NULL, err, errlen);
}

const board_flasher_t board_flasher_command = {
    .name = "command",
    .program = command_program,
    .reset = command_reset,
};
