/* External programs for the `command` flasher (and a board's reset_command):
 * argv templates expanded without a shell, run with a deadline, their output
 * appended to a log. */
#ifndef TLSRIG_COMMAND_RUN_H
#define TLSRIG_COMMAND_RUN_H

#include <stddef.h>

typedef struct command_vars {
    const char *image;  /* {image}: the ELF image */
    const char *serial; /* {serial}: the probe's usb.serial ("" when none) */
} command_vars_t;

/* Expand {image} {bin} {hex} {serial} in each of the n templates (a template
 * may hold several, or none); each template stays one argument whatever it
 * contains. *argv_out is a NULL-terminated, malloc'd vector: free it with
 * command_argv_free. 0, or -1 with err (unknown placeholder, out of memory). */
int command_expand(char *const *tmpl, unsigned n, const command_vars_t *v, char ***argv_out,
                   char *err, size_t errlen);
void command_argv_free(char **argv);

/* Run argv (execvp, no shell) in its own process group, stdin from
 * /dev/null, stdout and stderr appended to log_path (tlsrig's stderr when
 * NULL). Waits up to timeout_ms, then kills the group. 0 on exit status 0;
 * -1 with err naming the command and what happened (exit status, signal,
 * timeout, not found). */
int command_run(char *const *argv, unsigned timeout_ms, const char *log_path, char *err,
                size_t errlen);

/* "prog arg1 'arg with space'" for messages (truncated to cap). */
void command_describe(char *const *argv, char *out, size_t cap);

#endif
