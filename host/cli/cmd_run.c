#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "quarantine.h"
#include "runner.h"
#include "scenario_exec.h"

static int need_value(int i, int argc, const char *opt)
{
    if (i + 1 >= argc) {
        fprintf(stderr, "tlsrig run: %s needs a value\n", opt);
        return 0;
    }
    return 1;
}

static int parse_uint(const char *opt, const char *v, unsigned *out)
{
    char *end = NULL;
    long n = strtol(v, &end, 10);
    if (!end || *end || n < 0 || n > 100000) {
        fprintf(stderr, "tlsrig run: %s: '%s' is not a count\n", opt, v);
        return 0;
    }
    *out = (unsigned)n;
    return 1;
}

/* A quarantined board is refused before anything runs. A name that is not a
 * valid board name is left to the run's own board loading to report. */
static bool refuse_quarantined(const char *board)
{
    quarantine_info_t q;
    char err[512];
    if (quarantine_get(board, &q, err, sizeof err) != 0 || !q.quarantined) {
        return false;
    }
    fprintf(stderr,
            "tlsrig run: board %s is quarantined%s%s: the recovery ladder could not bring it back "
            "(state file %s). Reason:\n%s%sOnce the board is fixed: tlsrig unquarantine %s\n",
            board, q.since[0] ? " since " : "", q.since, q.path, q.reason,
            q.reason[0] && q.reason[strlen(q.reason) - 1] == '\n' ? "" : "\n", board);
    return true;
}

int cmd_run(int argc, char **argv)
{
    static char scen_dir[4200];
    run_options_t o;
    memset(&o, 0, sizeof o);
    o.backend = "sw";
    o.repeat = 1;
    o.infra_retries = 1;
    o.server_debug = RUN_SERVER_DEBUG_DEFAULT;
    o.source_dir = cli_source_dir();
    o.build_dir = cli_build_dir();
    snprintf(scen_dir, sizeof scen_dir, "%s/fixtures/scenarios", o.source_dir);
    o.scenarios_dir = scen_dir;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--board") == 0 && need_value(i, argc, a)) {
            o.board = argv[++i];
        } else if (strcmp(a, "--backend") == 0 && need_value(i, argc, a)) {
            o.backend = argv[++i];
            if (strcmp(o.backend, "sw") && strcmp(o.backend, "hw") && strcmp(o.backend, "both")) {
                fprintf(stderr, "tlsrig run: --backend must be sw, hw or both\n");
                return 2;
            }
        } else if (strcmp(a, "--stack") == 0 && need_value(i, argc, a)) {
            o.stack = argv[++i]; /* checked by the run plan (exit 2 on an unknown name) */
        } else if (strcmp(a, "--scenario") == 0 && need_value(i, argc, a)) {
            if (o.n_globs == RUN_MAX_FILTERS) {
                fprintf(stderr, "tlsrig run: too many --scenario\n");
                return 2;
            }
            o.globs[o.n_globs++] = argv[++i];
        } else if (strcmp(a, "--tag") == 0 && need_value(i, argc, a)) {
            if (o.n_tags == RUN_MAX_FILTERS) {
                fprintf(stderr, "tlsrig run: too many --tag\n");
                return 2;
            }
            o.tags[o.n_tags++] = argv[++i];
        } else if (strcmp(a, "--config") == 0 && need_value(i, argc, a)) {
            o.config = argv[++i];
        } else if (strcmp(a, "--config-file") == 0 && need_value(i, argc, a)) {
            o.config_file = argv[++i]; /* checked by the run plan (exit 2) */
        } else if (strcmp(a, "--repeat") == 0 && need_value(i, argc, a)) {
            if (!parse_uint(a, argv[++i], &o.repeat) || o.repeat == 0) {
                return 2;
            }
        } else if (strcmp(a, "--retries") == 0 && need_value(i, argc, a)) {
            if (!parse_uint(a, argv[++i], &o.infra_retries)) {
                return 2;
            }
        } else if (strcmp(a, "--fail-fast") == 0) {
            o.fail_fast = true;
        } else if (strcmp(a, "--list") == 0) {
            o.list = true;
        } else if (strcmp(a, "--bench") == 0) {
            o.bench = true;
        } else if (strcmp(a, "--quiet") == 0) {
            o.quiet = true;
        } else if (strcmp(a, "--out") == 0 && need_value(i, argc, a)) {
            o.out_dir = argv[++i];
        } else if (strcmp(a, "--baseline") == 0 && need_value(i, argc, a)) {
            o.baseline = argv[++i];
        } else if (strcmp(a, "--history") == 0 && need_value(i, argc, a)) {
            o.history = argv[++i];
        } else if (strcmp(a, "--no-history") == 0) {
            o.no_history = true;
        } else if (strcmp(a, "--inject-fault") == 0 && need_value(i, argc, a)) {
            /* NAME or NAME:N (every Nth operation) */
            static char fault[64];
            snprintf(fault, sizeof fault, "%s", argv[++i]);
            char *colon = strchr(fault, ':');
            if (colon) {
                *colon = '\0';
                if (!parse_uint(a, colon + 1, &o.fault_every)) {
                    return 2;
                }
            }
            o.fault = fault;
        } else if (strcmp(a, "--log-wire") == 0 && need_value(i, argc, a)) {
            const char *v = argv[++i];
            if (strcmp(v, "text") && strcmp(v, "compact") && strcmp(v, "both")) {
                fprintf(stderr, "tlsrig run: --log-wire must be compact, text or both\n");
                return 2;
            }
            o.log_wire = strcmp(v, "text") == 0   ? LOG_WIRE_TEXT
                         : strcmp(v, "both") == 0 ? LOG_WIRE_BOTH
                                                  : LOG_WIRE_COMPACT;
        } else if (strcmp(a, "--server-debug") == 0 && need_value(i, argc, a)) {
            if (!parse_uint(a, argv[++i], &o.server_debug)) {
                return 2;
            }
            if (o.server_debug > 4) {
                fprintf(stderr, "tlsrig run: --server-debug must be 0..4\n");
                return 2;
            }
        } else if (strcmp(a, "--scenarios-dir") == 0 && need_value(i, argc, a)) {
            o.scenarios_dir = argv[++i];
        } else {
            fprintf(stderr, "tlsrig run: unknown or incomplete option '%s'\n", a);
            return 2;
        }
    }
    if (o.history && o.no_history) {
        fprintf(stderr, "tlsrig run: --history and --no-history exclude each other\n");
        return 2;
    }
    if (!o.board) {
        fprintf(stderr, "tlsrig run: --board is required (see `tlsrig list`)\n");
        return 2;
    }
    if (!o.list && refuse_quarantined(o.board)) {
        return 3;
    }
    return run_main(&o);
}
