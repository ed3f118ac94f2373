/* `tlsrig COMMAND --help` answers on stdout with exit 0 for every command and
 * lists every option its parser accepts; `tlsrig help COMMAND` prints the
 * same; `tlsrig --version` exists. Runs the real binary. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run_tlsrig.h"

typedef struct run {
    int status;
    char *out;
    char *err;
} run_t;

static char *slurp(const char *path)
{
    char *text = slurp_file(path);
    cr_assert(text != NULL, "%s", path);
    return text;
}

/* tlsrig with up to 3 arguments; stdout and stderr captured apart. */
static run_t tlsrig(const char *a1, const char *a2, const char *a3)
{
    const char *args[] = {a1, a2, a3, NULL};
    tlsrig_run_t t = run_tlsrig(args);
    cr_assert(t.exit_code >= 0, "tlsrig did not exit normally");
    return (run_t){t.exit_code, t.out, t.err};
}

static void run_free(run_t *r)
{
    free(r->out);
    free(r->err);
}

/* The commands main.c dispatches: the names in its table, read from the
 * source, so a command added there without help fails here. */
static size_t commands(char names[][32], size_t cap)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/host/cli/main.c", getenv("TLSRIG_SOURCE_DIR"));
    char *src = slurp(path);
    size_t n = 0;
    for (const char *p = strstr(src, "{\""); p && n < cap; p = strstr(p + 1, "{\"")) {
        char name[32], fn[64];
        if (sscanf(p, "{\"%31[a-z]\", %63[a-z_]}", name, fn) == 2 && strncmp(fn, "cmd_", 4) == 0) {
            snprintf(names[n++], sizeof names[0], "%s", name);
        }
    }
    free(src);
    return n;
}

Test(cli_help, every_command_answers_help_on_stdout_with_exit_0)
{
    char names[64][32];
    size_t n = commands(names, 64);
    cr_assert_geq(n, 13, "only %zu commands found in main.c", n);
    for (size_t i = 0; i < n; i++) {
        for (int form = 0; form < 3; form++) {
            run_t r = form == 0   ? tlsrig(names[i], "--help", NULL)
                      : form == 1 ? tlsrig(names[i], "-h", NULL)
                                  : tlsrig("help", names[i], NULL);
            char want[128];
            snprintf(want, sizeof want, "usage: tlsrig %s", names[i]);
            cr_assert_eq(r.status, 0, "%s (form %d): exit %d, stderr: %s", names[i], form, r.status,
                         r.err);
            cr_assert(strncmp(r.out, want, strlen(want)) == 0, "%s: %s", names[i], r.out);
            cr_assert_str_empty(r.err, "%s: %s", names[i], r.err);
            cr_assert(strstr(r.out, "\nexit: ") != NULL, "%s: no exit codes", names[i]);
            run_free(&r);
        }
    }
}

/* --help wins even after other options (`tlsrig run --board sim --help`). */
Test(cli_help, help_after_other_options)
{
    run_t r = tlsrig("run", "--board", "--help");
    cr_assert_eq(r.status, 0);
    cr_assert(strncmp(r.out, "usage: tlsrig run", 17) == 0, "%s", r.out);
    run_free(&r);
}

/* Every "--option" literal in a command's parser (host/cli/cmd_NAME.c)
 * appears, with its own line, in that command's help. */
Test(cli_help, help_lists_every_option_the_parser_accepts)
{
    char names[64][32];
    size_t n = commands(names, 64);
    for (size_t i = 0; i < n; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/host/cli/cmd_%s.c", getenv("TLSRIG_SOURCE_DIR"), names[i]);
        if (access(path, R_OK) != 0) {
            continue;
        }
        char *src = slurp(path);
        run_t r = tlsrig(names[i], "--help", NULL);
        for (const char *p = strstr(src, "\"--"); p; p = strstr(p + 1, "\"--")) {
            char opt[64];
            if (sscanf(p, "\"%63[a-z-]\"", opt) != 1 || strcmp(opt, "--help") == 0) {
                continue;
            }
            char line[80];
            snprintf(line, sizeof line, "\n  %s", opt);
            cr_assert(strstr(r.out, line) != NULL, "tlsrig %s --help does not list %s:\n%s",
                      names[i], opt, r.out);
        }
        run_free(&r);
        free(src);
    }
}

Test(cli_help, overview_and_version)
{
    run_t r = tlsrig("--help", NULL, NULL);
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "commands:") != NULL);
    cr_assert(strstr(r.out, "  compare ") != NULL, "%s", r.out);
    run_free(&r);
    r = tlsrig("help", NULL, NULL);
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "commands:") != NULL);
    run_free(&r);
    r = tlsrig("--version", NULL, NULL);
    cr_assert_eq(r.status, 0);
    cr_assert(strncmp(r.out, "tlsrig 0.", 9) == 0, "%s", r.out);
    cr_assert(strstr(r.out, "mbedTLS 2.") != NULL, "%s", r.out);
    run_free(&r);
}

Test(cli_help, unknown_command_is_a_usage_error)
{
    run_t r = tlsrig("help", "no-such-command", NULL);
    cr_assert_eq(r.status, 2);
    cr_assert_str_empty(r.out);
    cr_assert(strstr(r.err, "unknown command 'no-such-command'") != NULL, "%s", r.err);
    run_free(&r);
    r = tlsrig("no-such-command", NULL, NULL);
    cr_assert_eq(r.status, 2);
    run_free(&r);
    r = tlsrig(NULL, NULL, NULL);
    cr_assert_eq(r.status, 2, "no command at all is a usage error");
    run_free(&r);
}
