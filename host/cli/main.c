/* tlsrig: the host controller. Exit codes: 0 all expectations met; 1 an
 * expectation failed or a regression; 2 usage or configuration error; 3
 * infrastructure error (board, link, flash). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "help.h"

typedef struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
} command_t;

/* Their help (synopsis, options, exit codes) is in help.c. */
static const command_t commands[] = {
    {"list", cmd_list},       {"scenarios", cmd_scenarios}, {"profiles", cmd_profiles},
    {"run", cmd_run},         {"build", cmd_build},         {"flash", cmd_flash},
    {"report", cmd_report},   {"compare", cmd_compare},     {"merge", cmd_merge},
    {"serve", cmd_serve},     {"replay", cmd_replay},       {"explain", cmd_explain},
    {"certs", cmd_certs},     {"probes", cmd_probes},       {"unquarantine", cmd_unquarantine},
    {"console", cmd_console}, {"history", cmd_history},
};

const char *cli_source_dir(void)
{
    const char *e = getenv("TLSRIG_SOURCE_DIR");
    return e && *e ? e : TLSRIG_DEFAULT_SOURCE_DIR;
}

const char *cli_build_dir(void)
{
    const char *e = getenv("TLSRIG_BUILD_DIR");
    return e && *e ? e : TLSRIG_DEFAULT_BUILD_DIR;
}

static bool is_help(const char *a)
{
    return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0;
}

/* tlsrig help [COMMAND] */
static int help_command(int argc, char **argv)
{
    if (argc < 3) {
        cli_help_overview(stdout);
        return 0;
    }
    const cli_help_t *h = cli_help_find(argv[2]);
    if (!h || argc > 3) {
        fprintf(stderr, "tlsrig help: unknown command '%s'\n\n", argv[2]);
        cli_help_overview(stderr);
        return 2;
    }
    cli_help_print(stdout, h);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        cli_help_overview(stderr);
        return 2;
    }
    if (is_help(argv[1])) {
        cli_help_overview(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        cli_version(stdout);
        return 0;
    }
    if (strcmp(argv[1], "help") == 0) {
        return help_command(argc, argv);
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(argv[1], commands[i].name) != 0) {
            continue;
        }
        /* --help anywhere before "--" wins over the command's own parsing, so
         * every command answers it the same way. */
        for (int a = 2; a < argc && strcmp(argv[a], "--") != 0; a++) {
            const cli_help_t *h = cli_help_find(commands[i].name);
            if (is_help(argv[a]) && h) {
                cli_help_print(stdout, h);
                return 0;
            }
        }
        return commands[i].fn(argc - 1, argv + 1);
    }
    fprintf(stderr, "tlsrig: unknown command '%s'\n\n", argv[1]);
    cli_help_overview(stderr);
    return 2;
}
