/* The plan of a run, made before anything is built, started or written:
 * the board and its backends checked, the fault name checked, the scenarios
 * loaded, selected and checked, and the list of every scenario x backend run
 * the run owes a result for, grouped by firmware image. */
#ifndef TLSRIG_RUN_PLAN_H
#define TLSRIG_RUN_PLAN_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "board_config.h"
#include "config_header.h"
#include "user_context.h"
#include "user_target.h"
#include "runner.h"
#include "scenario.h"
#include "stacks.h"

typedef struct run_item { /* one planned scenario x stack x backend run */
    const scenario_t *s;
    const char *stack; /* stacks.h: mbedtls-2.28 | mbedtls-3.6 */
    const char *backend;
    unsigned rep; /* 0-based repeat */
    bool recorded;
} run_item_t;

typedef struct run_group { /* consecutive items run by one image (or the replays) */
    size_t first, count;
    const char *stack;
    const char *backend;
    const char *config;
    bool replay;
    bool not_built; /* issue 18 wolfqemu: the build does not make its image (image_targets.h) */
} run_group_t;

typedef struct run_plan {
    board_config_t *board;
    char board_file[4400];
    const char *backends[2];
    size_t n_backends;
    const char *stacks[STACK_MAX];
    size_t n_stacks;
    scenario_set_t set;
    bool set_loaded;
    scenario_t **sel;
    size_t n_sel;
    run_item_t *items;
    size_t n_items;
    run_group_t *groups;
    size_t n_groups;
    char profiles[4200], recipes[4200], cache[4200];
    /* issue 17 cfgfile: --config-file, checked; every target scenario runs its images. */
    bool has_user_config;
    user_config_t user_config;
    user_context_t user_context;
    user_tree_kind_t user_tree;   /* issue 17 cfgcross: sim or Cortex-M images (user_target.h) */
    char user_config_label[4300]; /* "PATH (sha256 0123456789abcdef...)" */
    size_t n_left_out;            /* scenarios pinned to another profile, not run */
} run_plan_t;

const char *run_config_of(const scenario_t *s);
/* The firmware configuration the plan runs s on: the user's (--config-file) or s's. */
const char *run_plan_config_of(const run_plan_t *p, const scenario_t *s);
/* {"path","sha256","name","stack"} of the user's configuration, NULL without one. */
json_t *run_plan_config_file_json(const run_plan_t *p);

/* 0, or 2 with err (a usage or configuration error: unknown board, a
 * backend the board does not have, an unknown fault, a bad scenario, no
 * scenario selected, none of the images the run needs made by the build).
 * run_plan_free() in every case. */
int run_plan_build(const run_options_t *o, run_plan_t *p, char *err, size_t errlen);
void run_plan_free(run_plan_t *p);

/* The run-start record: selection, board, backends, stacks, versions, and the
 * planned runs [{scenario, kind, stack, backend, config, runs}]. */
json_t *run_plan_start_record(const run_plan_t *p, const run_options_t *o, const char *out_dir);

#endif
