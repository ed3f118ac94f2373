/* tlsrig: the host controller. Exit codes: 0 all expectations met; 1 an
 * expectation failed or a regression; 2 usage or configuration error; 3
 * infrastructure error (board, link, flash). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

typedef struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *usage;
} command_t;

static const command_t commands[] = {
    {"list", cmd_list, "list [--json]                      boards configured"},
    {"run", cmd_run,
     "run --board B [--backend sw|hw|both] [--scenario GLOB]... [--tag T]... [--config P]\n"
     "        [--repeat N] [--retries N] [--fail-fast] [--list] [--out DIR] [--baseline DIR]\n"
     "        [--inject-fault NAME[:N]] (sim, hw backend)"},
    {"build", cmd_build, "build --board B [--backend sw|hw] [--config P]   make the image current"},
    {"flash", cmd_flash,
     "flash --board B [--backend sw|hw] [--config P] [--image PATH]  start it, check the build"},
    {"scenarios", cmd_scenarios, "scenarios [--json]                 the scenario catalog"},
    {"report", cmd_report, "report DIR                         rebuild reports from DIR/results.jsonl"},
    {"serve", cmd_serve, "serve --profile NAME [--listen 127.0.0.1:0] [--capture DIR]"},
    {"replay", cmd_replay, "replay --profile NAME --clienthello FILE|-"},
    {"profiles", cmd_profiles, "profiles [--json]                  server profiles"},
    {"explain", cmd_explain, "explain LOGFILE|- [--json]         diagnose a client debug log"},
    {"certs", cmd_certs, "certs [--list] [--name NAME]...    generate the test-only certificates"},
    {"compare", cmd_compare, "compare BASE NEW [--json]          regressions of NEW against BASE"},
    {"merge", cmd_merge, "merge DIR... --out DIR             join runs of several boards into one"},
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

static void usage(FILE *out)
{
    fprintf(out, "usage: tlsrig COMMAND [options]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        fprintf(out, "  %s\n", commands[i].usage);
    }
    fprintf(out, "\nexit codes: 0 expectations met, 1 expectation failed or regression,\n"
                 "            2 usage or configuration error, 3 infrastructure error\n");
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(argv[1], commands[i].name) == 0) {
            return commands[i].fn(argc - 1, argv + 1);
        }
    }
    fprintf(stderr, "tlsrig: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
