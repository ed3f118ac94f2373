/* The help of every `tlsrig` command, from one table: the synopsis, what the
 * command does, each operand and option on one line, and its exit codes.
 * `tlsrig COMMAND --help`, `tlsrig help COMMAND` and `tlsrig --help` print
 * from here, so the commands' own parsers need no help text. Keep each
 * command's options in step with its cmd_*.c parser (tests/cli checks it). */
#include "help.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "mbedtls/version.h"

#ifndef TLSRIG_VERSION
#define TLSRIG_VERSION "0.0.0"
#endif

#define END_OPTIONS                                                                                \
    {                                                                                              \
        NULL, NULL                                                                                 \
    }

static const cli_option_t opt_run[] = {
    {"--board B", "board to run on, a file rig-config/boards/B.yaml (required; see `tlsrig list`)"},
    {"--backend sw|hw|both", "crypto backend of the image (default sw; both: hw/sw parity)"},
    {"--bench", "also run each image's crypto micro-benchmark (hw/sw table with both)"},
    {"--stack S[,S]|all", "TLS stack(s): mbedtls-2.28 (default), mbedtls-3.6, wolfssl; "
                          "all = both mbedTLS (docs/stacks.md)"},
    {"--scenario GLOB", "run only scenarios whose name matches GLOB (repeatable)"},
    {"--tag T", "run only scenarios tagged T (repeatable)"},
    {"--config P", "run only scenarios that use mbedTLS config profile P"},
    {"--config-file HEADER",
     "build the board's images (sim, qemu-f405, nucleo-f439zi) from your own mbedTLS "
     "configuration header (for the --stack given), checked first for what the agent needs; "
     "scenarios pinned to another profile are left out (docs/stacks.md)"},
    {"--repeat N", "run each scenario N times (timing samples; default 1)"},
    {"--retries N", "retries of a scenario after an infrastructure error (default 1)"},
    {"--fail-fast", "stop at the first unmet expectation"},
    {"--list", "print the selected scenarios and exit without running"},
    {"--quiet", "no progress line per scenario"},
    {"--out DIR", "run directory (default reports/<UTC timestamp>-<board>/)"},
    {"--baseline DIR", "compare with that run (see `tlsrig help compare`); exit 1 on a regression"},
    {"--history DB", "record the run in that history database (default: runs into reports/ record "
                     "into reports/history.sqlite; docs/history.md)"},
    {"--no-history", "record the run in no history"},
    {"--inject-fault NAME[:N]", "arm a crypto fault every Nth operation (sim, hw backend)"},
    {"--scenarios-dir DIR", "scenario YAML files (default fixtures/scenarios)"},
    {"--server-debug N", "mbedTLS debug level of each scenario's server.log, 0..4 (default 1: "
                         "errors; tlsrig's own lines, handshake states included, always)"},
    {"--log-wire compact|text|both",
     "debug log on the link: compact records where the agent offers them (default), text, or "
     "both (records also rendered into logs/<run>.log.records: identity check)"},
    END_OPTIONS};

static const cli_option_t opt_json_only[] = {{"--json", "machine-readable output"}, END_OPTIONS};

static const cli_option_t opt_explain[] = {
    {"--json", "machine-readable output"},
    {"--config-file HEADER",
     "check the fix against the device's mbedTLS configuration header (defined or not, values)"},
    {"--stack S", "the stack that wrote the log: mbedtls-2.28, mbedtls-3.6 or wolfssl (default: "
                  "detected from the log's lines); also the header's mbedTLS release"},
    END_OPTIONS};

static const cli_option_t opt_build[] = {
    {"--board B", "board (required)"},
    {"--backend sw|hw", "crypto backend (default sw)"},
    {"--config P", "mbedTLS config profile, a folder of target/config (default full)"},
    END_OPTIONS};

static const cli_option_t opt_flash[] = {{"--board B", "board (required)"},
                                         {"--backend sw|hw", "crypto backend (default sw)"},
                                         {"--config P", "mbedTLS config profile (default full)"},
                                         {"--image PATH", "this image instead of the build's own"},
                                         END_OPTIONS};

static const cli_option_t opt_serve[] = {
    {"--profile NAME", "server profile (required; see `tlsrig profiles`)"},
    {"--listen ADDR:PORT", "loopback address to listen on (default 127.0.0.1:0, any free port)"},
    {"--capture DIR", "write ClientHellos, server logs and pcaps there"},
    {"--debug N", "mbedTLS debug level of the server log, 0 to 4 (default 0)"},
    {"--profiles-dir DIR", "profile YAML files (default fixtures/profiles)"},
    END_OPTIONS};

static const cli_option_t opt_replay[] = {
    {"--profile NAME", "server profile whose policy answers (required)"},
    {"--clienthello FILE|-", "ClientHello as hex or binary, records or bare message (required)"},
    {"--profiles-dir DIR", "profile YAML files (default fixtures/profiles)"},
    END_OPTIONS};

static const cli_option_t opt_profiles[] = {
    {"--json", "machine-readable output"},
    {"--profiles-dir DIR", "profile YAML files (default fixtures/profiles)"},
    END_OPTIONS};

static const cli_option_t opt_certs[] = {
    {"--list", "list the chains of the recipes, generate nothing"},
    {"--name NAME", "ensure this chain (repeatable; default every chain)"},
    {"--root NAME", "print the PEM path of this root CA (repeatable)"},
    {"--cache DIR", "certificate cache (default $TLSRIG_CERTS_CACHE, else .cache/certs)"},
    {"--recipes FILE", "recipe file (default fixtures/certs/recipes.yaml)"},
    END_OPTIONS};

static const cli_option_t opt_compare[] = {
    {"--json", "the comparison as JSON (with the rule used for each field)"},
    {"--time-ratio R", "a timing median must grow by this factor to count (default 1.25)"},
    {"--time-min-ms MS", "... and by at least this many milliseconds (default 2)"},
    {"--min-samples N", "timing needs N samples on each side (default 3; run --repeat N)"},
    {"--size-tolerance PCT", "unseeded runs: counters may grow this much (default 2 percent)"},
    {"--upgrade", "what changes between two mbedTLS stacks: BASE's stack beside NEW's, "
                  "scenario by scenario (one DIR: a run with --stack all)"},
    {"--from STACK", "with --upgrade: the stack upgraded from (default BASE's oldest)"},
    {"--to STACK", "with --upgrade: the stack upgraded to (default NEW's newest other one)"},
    {"--out DIR", "with --upgrade: also write DIR/upgrade.json, upgrade.md and upgrade.html"},
    {"--baseline-history DB", "compare NEW_DIR with its history instead of a BASE_DIR: exact "
                              "rules against the last comparable run, times against the last N "
                              "runs' median and spread (docs/history.md)"},
    {"--window N", "with --baseline-history: the comparable runs judged (default 10)"},
    END_OPTIONS};

static const cli_option_t opt_report[] = {
    {"--format reports|lava",
     "reports (default): rebuild report.html, report.json, summary.md, junit.xml; lava: print "
     "one `lava-test-case NAME --result R [--measurement V --units U]` line per result, write "
     "nothing (docs/ci.md)"},
    {"--history DB", "first write DIR/history.json from that history (the run must be recorded), "
                     "so the reports show its trends"},
    END_OPTIONS};

static const cli_option_t opt_history[] = {
    {"--history DB", "the history database (default reports/history.sqlite)"},
    {"--board B", "only results on board B"},
    {"--backend X", "only results of backend X (sw, hw)"},
    {"--stack S", "only results of stack S"},
    {"--scenario GLOB", "only scenarios matching GLOB"},
    {"--since DATE", "only runs started at or after DATE (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)"},
    {"--last N", "runs per scenario x backend (default 10)"},
    {"--json", "machine-readable output"},
    {"--csv", "one CSV row per scenario x backend"},
    END_OPTIONS};

static const cli_option_t opt_merge[] = {
    {"--out DIR", "the merged run directory (required; a new directory)"}, END_OPTIONS};

static const cli_option_t opt_probes[] = {
    {"--json", "machine-readable output: kind, vid, pid, serial, bus, address, port, board"},
    {"--write-board NAME", "write a board file NAME.yaml for the attached ST-Link"},
    {"--serial S", "with --write-board: the probe with this serial (several attached)"},
    {"--boards-dir DIR", "board files to match and write (default rig-config/boards)"},
    END_OPTIONS};

static const cli_option_t opt_console[] = {
    {"--board B", "board (required)"},
    {"--backend sw|hw", "crypto backend of the image (default sw)"},
    {"--config P", "mbedTLS config profile (default full)"},
    END_OPTIONS};

static const cli_option_t opt_none[] = {END_OPTIONS};

static const cli_help_t k_help[] = {
    {"list", "list [--json]", "The boards configured in rig-config/boards.", NULL, opt_json_only,
     "0 listed, 2 a board file is invalid"},
    {"scenarios", "scenarios [--json]", "The scenario catalog (fixtures/scenarios).", NULL,
     opt_json_only, "0 listed, 2 a scenario file is invalid"},
    {"profiles", "profiles [--json] [--profiles-dir DIR]", "The server profiles.", NULL,
     opt_profiles, "0 listed, 2 a profile is invalid"},
    {"run", "run --board B [options]",
     "Run scenarios on a board and write results.jsonl, junit.xml and the reports.", NULL, opt_run,
     "0 every expectation met, 1 one failed or a regression, 2 usage or configuration error, "
     "3 infrastructure error, 130 interrupted (SIGINT), 143 terminated (SIGTERM)"},
    {"build", "build --board B [--backend sw|hw] [--config P]",
     "Make the board's image current and print its path and build id.", NULL, opt_build,
     "0 built, 2 usage or board error, 3 the build failed"},
    {"flash", "flash --board B [--backend sw|hw] [--config P] [--image PATH]",
     "Put the image on the target, start it, check with HELLO that it runs that build.", NULL,
     opt_flash, "0 running, 2 usage or board error, 3 flash or link error"},
    {"report", "report [--format reports|lava] DIR [--history DB]",
     "Rebuild every report of a run from DIR/results.jsonl; or print its results as LAVA test "
     "cases.",
     "DIR  a run directory", opt_report,
     "reports: 0 complete and every expectation met, 1 not met or never ran, 3 infrastructure "
     "error or a report or the history not written; lava: 0 printed, 3 stdout not written; 2 "
     "usage or unreadable run (or a run not in the history)"},
    {"compare",
     "compare BASE_DIR NEW_DIR [options] | compare --baseline-history DB [--window N] NEW_DIR | "
     "compare --upgrade BASE_DIR [NEW_DIR]",
     "Regressions of NEW against BASE, field by field; with --upgrade, what changes from one "
     "mbedTLS stack to the other. docs/reports.md gives the rules.",
     "BASE_DIR NEW_DIR  two run directories", opt_compare,
     "0 no regression, 1 a regression, 2 usage or unreadable run (or runs of different stacks "
     "without --upgrade), 3 an output that cannot be written"},
    {"merge", "merge RUN_DIR... --out DIR",
     "One report from the runs of several boards or runners.", "RUN_DIR...  run directories",
     opt_merge, "0 merged, 2 usage or I/O error"},
    {"serve", "serve --profile NAME [options]",
     "The controllable TLS server on its own, until SIGINT or SIGTERM; the first line on stdout "
     "is \"listening 127.0.0.1:PORT\".",
     NULL, opt_serve, "0 stopped by a signal, 2 usage or profile error, 3 cannot listen"},
    {"replay", "replay --profile NAME --clienthello FILE|- [--profiles-dir DIR]",
     "The server's answer to a stored ClientHello, as JSON.", NULL, opt_replay,
     "0 answered, 2 usage, profile or input error"},
    {"explain", "explain LOGFILE|- [--json] [--stack S] [--config-file HEADER]",
     "Diagnose a client's mbedTLS or wolfSSL debug log (ours or from the field).",
     "LOGFILE  the log, - for stdin", opt_explain,
     "0 diagnosed, 2 usage, unreadable input or a configuration header that does not preprocess"},
    {"certs", "certs [options]",
     "Generate (or reuse) the TEST ONLY certificate chains and print where they are.", NULL,
     opt_certs, "0 done, 2 usage or recipe error"},
    {"probes", "probes [--json] [--write-board NAME [--serial S]] [--boards-dir DIR]",
     "The ST-Link probes and STM32 DFU devices attached, their virtual COM ports and boards; "
     "never resets a board.",
     NULL, opt_probes,
     "0 listed or written, 2 usage error, a board file unreadable or already there, 3 USB "
     "unavailable or no single probe to write"},
    {"console", "console --board B [--backend sw|hw] [--config P]",
     "A board's agent live, without a scenario: its HELLO, then its log and the link counters. "
     "Keys (lines when stdin is not a terminal): r reset and wait for the new HELLO, p ping, "
     "s counters, q quit.",
     NULL, opt_console,
     "0 quit (q or end of input), 2 usage or board error, 3 the target died and could not be "
     "restarted"},
    {"unquarantine", "unquarantine BOARD",
     "Put a board the recovery ladder quarantined back into service (removes its state file).",
     "BOARD  a board name", opt_none,
     "0 cleared or not quarantined, 2 usage error or unknown board, 3 the state file cannot be "
     "removed"},
    {"history", "history [options] | history import [--history DB] DIR...",
     "The run history per scenario x backend: the last N outcomes, the flake rate, and the "
     "trends of duration, instructions, heap and image size; `import` records run folders.",
     "DIR...  run directories (import)", opt_history,
     "0 shown or imported, 2 usage, a missing, foreign or malformed database, or an unreadable "
     "run, 3 a locked database past the timeout or an I/O error"},
    {"help", "help [COMMAND]", "This help, or the help of one command.", "COMMAND  a command name",
     opt_none, "0 printed, 2 unknown command"},
};

const cli_help_t *cli_help_all(size_t *count)
{
    *count = sizeof k_help / sizeof k_help[0];
    return k_help;
}

const cli_help_t *cli_help_find(const char *name)
{
    for (size_t i = 0; i < sizeof k_help / sizeof k_help[0]; i++) {
        if (strcmp(k_help[i].name, name) == 0) {
            return &k_help[i];
        }
    }
    return NULL;
}

/* text in lines of at most 80 columns, the first after prefix, the others
 * indented by indent. */
static void wrapped(FILE *out, const char *prefix, const char *text, int indent)
{
    int col = fprintf(out, "%s", prefix);
    bool line_start = prefix[0] == '\0';
    while (*text) {
        size_t word = strcspn(text, " ");
        if (!line_start && col + 1 + (int)word > 80) {
            fprintf(out, "\n%*s", indent, "");
            col = indent;
            line_start = true;
        }
        if (!line_start) {
            col += fprintf(out, " ");
        }
        col += fprintf(out, "%.*s", (int)word, text);
        line_start = false;
        text += word;
        text += strspn(text, " ");
    }
    fputc('\n', out);
}

void cli_help_print(FILE *out, const cli_help_t *h)
{
    fprintf(out, "usage: tlsrig %s\n\n", h->synopsis);
    wrapped(out, "", h->summary, 0);
    if (h->operands) {
        fprintf(out, "\n  %s\n", h->operands);
    }
    if (h->options[0].flag) {
        fprintf(out, "\noptions:\n");
        for (const cli_option_t *o = h->options; o->flag; o++) {
            fprintf(out, "  %-24s %s\n", o->flag, o->help);
        }
    }
    fprintf(out, "  %-24s %s\n", "-h, --help", "this help");
    fputc('\n', out);
    wrapped(out, "exit:", h->exits, 6);
}

void cli_help_overview(FILE *out)
{
    fprintf(out, "usage: tlsrig COMMAND [options]\n       tlsrig COMMAND --help | tlsrig help "
                 "COMMAND | tlsrig --version\n\ncommands:\n");
    for (size_t i = 0; i < sizeof k_help / sizeof k_help[0]; i++) {
        fprintf(out, "  %-10s %s\n", k_help[i].name, k_help[i].summary);
    }
    fprintf(out, "\nexit codes: 0 expectations met, 1 expectation failed or regression,\n"
                 "            2 usage or configuration error, 3 infrastructure error\n"
                 "            (130 interrupted by SIGINT, 143 by SIGTERM)\n");
}

void cli_version(FILE *out)
{
    char mbed[18] = ""; /* the API writes at most 18 bytes ("x.y.z" and a NUL) */
    mbedtls_version_get_string(mbed);
    fprintf(out, "tlsrig %s (host mbedTLS %s)\n", TLSRIG_VERSION, mbed);
}
