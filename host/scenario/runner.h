/* `tlsrig run`: select scenarios, group them by firmware image, flash each
 * image once, run every scenario, write results as they complete.
 * run_plan.c plans, run_exec.c executes, runner.c reports. */
#ifndef TLSRIG_RUNNER_H
#define TLSRIG_RUNNER_H

#include <stdbool.h>
#include <stddef.h>

#define RUN_MAX_FILTERS 32
/* The run's servers log mbedTLS's errors (level 1) and tlsrig's own lines, states included:
 * level 2 added about 240 lines of I/O steps per handshake, 0.45 ms of formatting on the
 * handshake's path (issue 16), and conn.pcap holds what those steps moved. */
#define RUN_SERVER_DEBUG_DEFAULT 1u

typedef struct run_options {
    const char *board;
    const char *backend; /* sw | hw | both */
    const char *stack;   /* --stack: stack names, comma-separated, or all; NULL = mbedtls-2.28 */
    const char *globs[RUN_MAX_FILTERS];
    size_t n_globs;
    const char *tags[RUN_MAX_FILTERS];
    size_t n_tags;
    const char *config; /* only scenarios needing this firmware config */
    /* issue 17 cfgfile: --config-file, the user's own mbedTLS configuration header: the
     * sim images are built from it in place of the `full` profile. */
    const char *config_file;
    unsigned repeat;
    unsigned infra_retries;
    bool fail_fast;
    bool list;
    const char *out_dir;
    const char *baseline;
    const char *source_dir; /* fixtures/, rig-config/ */
    const char *build_dir;  /* images, and where `cmake --build` runs */
    const char *scenarios_dir;
    bool quiet;
    bool bench;            /* --bench: each image's micro-benchmark after its self-tests */
    const char *fault;     /* --inject-fault NAME: sim hw images only */
    unsigned fault_every;  /* every Nth operation (0 or 1 = every) */
    int log_wire;          /* --log-wire: log_wire_t (scenario_exec.h), 0 compact */
    unsigned server_debug; /* --server-debug: the servers' mbedTLS debug threshold (server.log) */
    /* --history DB: record the run there; without it, runs into the default folder
     * (reports/) record into reports/history.sqlite; --no-history: never (docs/history.md). */
    const char *history;
    bool no_history;
} run_options_t;

/* Returns the process exit code: 0 every planned scenario x backend ran and
 * met its expectation; 1 an expectation failed (or a scenario never ran
 * because of --fail-fast, or a regression); 2 usage or configuration error;
 * 3 infrastructure error (including a write that failed: full disk); 130
 * SIGINT, 143 SIGTERM. A run cut short never exits 0. */
int run_main(const run_options_t *o);

#endif
