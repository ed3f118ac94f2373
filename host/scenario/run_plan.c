#define _POSIX_C_SOURCE 200809L
#include "run_plan.h"
#include "safe_name.h"

#include <mbedtls/version.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agent_needs.h"
#include "user_target.h"
#include "fault_names.h"
#include "image_targets.h"
#include "preflight.h"
#include "run_origin.h"
#include "run_output.h"

#ifndef TLSRIG_VERSION
#define TLSRIG_VERSION "unknown"
#endif

const char *run_config_of(const scenario_t *s)
{
    return s->config ? s->config : "full";
}

const char *run_plan_config_of(const run_plan_t *p, const scenario_t *s)
{
    return p->has_user_config ? p->user_config.name : run_config_of(s);
}

json_t *run_plan_config_file_json(const run_plan_t *p)
{
    if (!p->has_user_config) {
        return NULL;
    }
    return json_pack("{ss ss ss ss}", "path", p->user_config.path, "sha256", p->user_config.sha256,
                     "name", p->user_config.name, "stack", p->user_config.stack);
}

static bool selected(const run_options_t *o, const scenario_t *s)
{
    bool glob_ok = o->n_globs == 0, tag_ok = o->n_tags == 0;
    for (size_t i = 0; i < o->n_globs && !glob_ok; i++) {
        glob_ok = scenario_matches(s, o->globs[i]);
    }
    for (size_t i = 0; i < o->n_tags && !tag_ok; i++) {
        tag_ok = scenario_has_tag(s, o->tags[i]);
    }
    return glob_ok && tag_ok && (!o->config || strcmp(o->config, run_config_of(s)) == 0);
}

/* Replays first (they need no image), then targets grouped by image. */
static int cmp_by_config(const void *a, const void *b)
{
    const scenario_t *x = *(scenario_t *const *)a, *y = *(scenario_t *const *)b;
    if (x->kind != y->kind) {
        return x->kind == SCENARIO_REPLAY ? -1 : 1;
    }
    int c = strcmp(run_config_of(x), run_config_of(y));
    return c ? c : strcmp(x->name, y->name);
}

/* 1-based line of a top-level key in a YAML file we wrote ourselves (the
 * rig's own board config), 0 when not found. */
static unsigned key_line(const char *path, const char *key)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        return 0;
    }
    char line[512];
    unsigned n = 0, found = 0;
    size_t klen = strlen(key);
    while (!found && fgets(line, sizeof line, f)) {
        n++;
        if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
            found = n;
        }
    }
    fclose(f);
    return found;
}

static int check_backends(const run_options_t *o, run_plan_t *p, char *err, size_t errlen)
{
    if (strcmp(o->backend, "both") == 0) {
        p->backends[p->n_backends++] = "sw";
        p->backends[p->n_backends++] = "hw";
    } else {
        p->backends[p->n_backends++] = o->backend;
    }
    for (size_t i = 0; i < p->n_backends; i++) {
        bool has = false;
        char list[128] = "";
        for (unsigned j = 0; j < p->board->backends_count; j++) {
            has = has || strcmp(p->board->backends[j], p->backends[i]) == 0;
            size_t used = strlen(list);
            snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "",
                     p->board->backends[j]);
        }
        if (!has) {
            snprintf(err, errlen,
                     "%s:%u: key 'backends': board %s has no '%s' backend (it has: %s); "
                     "--backend %s cannot run on it",
                     p->board_file, key_line(p->board_file, "backends"), p->board->name,
                     p->backends[i], list[0] ? list : "none", o->backend);
            return 2;
        }
    }
    return 0;
}

/* --stack: known names, each with images for the board's firmware (docs/stacks.md), so a
 * board whose port builds no images of a stack is refused before a build is tried. */
static int check_stacks(const run_options_t *o, run_plan_t *p, char *err, size_t errlen)
{
    if (stack_parse_list(o->stack ? o->stack : STACK_DEFAULT, p->stacks, &p->n_stacks, err,
                         errlen) != 0) {
        return 2;
    }
    for (size_t i = 0; i < p->n_stacks; i++) {
        const char *firmware = board_firmware(p->board);
        if (!stack_firmware_has_images(p->stacks[i], firmware)) {
            snprintf(err, errlen,
                     "--stack %s: board %s (firmware %s) has no %s images: only the %s "
                     "firmwares are built on that stack (docs/stacks.md)",
                     o->stack, p->board->name, firmware, p->stacks[i],
                     stack_firmwares_of(p->stacks[i]));
            return 2;
        }
        /* issue 18 wolfint: wolfSSL's hw backend (crypto callbacks on the STM32 drivers)
         * exists where its port builds hw images: elsewhere refused rather than run as sw. */
        for (size_t b = 0; b < p->n_backends; b++) {
            if (strcmp(p->backends[b], "sw") != 0 &&
                !stack_firmware_has_hw_images(p->stacks[i], firmware)) {
                snprintf(err, errlen,
                         "--stack %s --backend %s: board %s (firmware %s) has no %s hw images "
                         "(docs/stacks.md); use --backend sw",
                         o->stack, o->backend, p->board->name, firmware, p->stacks[i]);
                return 2;
            }
        }
        /* The crypto micro-benchmark is mbedTLS's (cmd_bench.c): asked for on a stack whose
         * images have none, it would not run, so the run is refused before it starts. */
        if (o->bench && stack_is_wolfssl(p->stacks[i])) {
            snprintf(err, errlen,
                     "--bench: the %s images have no crypto micro-benchmark (only the mbedTLS "
                     "stacks do, docs/stacks.md); run without --bench",
                     p->stacks[i]);
            return 2;
        }
    }
    return 0;
}

/* --config-file: one stack, a header that preprocesses for that stack and has what the agent
 * needs, a board whose firmware has user images and a build with their toolchain (the
 * Cortex-M ones: exit 3 without it). Nothing is written but the checker's own temporary
 * files. */
static int check_config_file(const run_options_t *o, run_plan_t *p, char *err, size_t errlen)
{
    if (!o->config_file) {
        return 0;
    }
    if (o->config) {
        snprintf(err, errlen,
                 "--config and --config-file exclude each other: --config-file "
                 "replaces the firmware configuration");
        return 2;
    }
    if (p->n_stacks == 1 && stack_is_wolfssl(p->stacks[0])) {
        snprintf(err, errlen,
                 "--config-file %s: takes an mbedTLS configuration header; the wolfssl stack's "
                 "profiles are target/config/wolfssl/<profile>/user_settings.h (docs/stacks.md)",
                 o->config_file);
        return 2;
    }
    if (p->n_stacks != 1) {
        snprintf(err, errlen,
                 "--config-file %s: one header is one mbedTLS release; --stack %s names %zu "
                 "stacks (run once per stack, each with its own header)",
                 o->config_file, o->stack, p->n_stacks);
        return 2;
    }
    int rc = user_context_load(o->build_dir, &p->user_context, err, errlen);
    if (rc != 0) {
        return rc;
    }
    config_toolchain_t tc;
    user_context_toolchain(&p->user_context, &tc);
    rc = user_config_load(o->config_file, p->stacks[0], &tc, &p->user_config, err, errlen);
    if (rc != 0) {
        return rc;
    }
    p->has_user_config = true;
    size_t used = (size_t)snprintf(err, errlen,
                                   "--config-file %s lacks what the tlsrig agent needs "
                                   "(checked on the configuration as %s's headers see it):\n",
                                   o->config_file, p->stacks[0]);
    if (used < errlen && agent_needs_check(&p->user_config, err, errlen) > 0) {
        return 2;
    }
    err[0] = '\0';
    rc = user_target_tree(&p->user_context, p->board->name, board_firmware(p->board), &p->user_tree,
                          err, errlen);
    if (rc != 0) {
        return rc;
    }
    snprintf(p->user_config_label, sizeof p->user_config_label, "%s, sha256 %.16s...",
             p->user_config.path, p->user_config.sha256);
    return 0;
}

static bool fault_known(const char *name)
{
#define FAULT_IS(id, n) || strcmp(name, n) == 0
    return false TLSRIG_SILICON_FAULTS(FAULT_IS) TLSRIG_DRIVER_FAULTS(FAULT_IS);
#undef FAULT_IS
}

static int check_fault(const run_options_t *o, const run_plan_t *p, char *err, size_t errlen)
{
    if (!o->fault) {
        return 0;
    }
    if (!fault_known(o->fault)) {
#define FAULT_LIST(id, n) n " "
        snprintf(err, errlen,
                 "--inject-fault '%s': unknown fault; the sim knows: " TLSRIG_SILICON_FAULTS(
                     FAULT_LIST) TLSRIG_DRIVER_FAULTS(FAULT_LIST) "(docs/hw-crypto.md)",
                 o->fault);
#undef FAULT_LIST
        return 2;
    }
    if (p->board->kind != BOARD_SIM || strcmp(o->backend, "sw") == 0) {
        snprintf(err, errlen,
                 "--inject-fault needs the sim board and the hw backend "
                 "(--backend hw or both): faults live in the sim's crypto models");
        return 2;
    }
    return 0;
}

/* `--scenario NAME` for each of a few names, no tags: load NAME.yaml alone
 * when its file holds that name, instead of parsing the whole catalog (a
 * tenth of a short run's fixed cost). Anything else, or a file that does not
 * match, takes the full load. 0 when the set is loaded this way. */
static int load_named(const run_options_t *o, scenario_set_t *set)
{
    if (o->n_globs == 0 || o->n_tags != 0) {
        return -1;
    }
    set->items = calloc(o->n_globs, sizeof *set->items);
    set->count = 0;
    if (!set->items) {
        return -1;
    }
    for (size_t i = 0; i < o->n_globs; i++) {
        const char *name = o->globs[i];
        bool dup = false;
        for (size_t k = 0; k < set->count; k++) {
            dup = dup || strcmp(set->items[k]->name, name) == 0;
        }
        if (dup) {
            continue;
        }
        char path[4200], e[256];
        if (strpbrk(name, "*?[\\") || !safe_name_valid(name) ||
            snprintf(path, sizeof path, "%s/%s.yaml", o->scenarios_dir, name) >= (int)sizeof path ||
            access(path, R_OK) != 0) {
            scenario_set_free(set);
            return -1;
        }
        scenario_t *sc = scenario_load_file(path, e, sizeof e);
        if (!sc || strcmp(sc->name, name) != 0) {
            scenario_free(sc); /* the full load words the error or finds the name */
            scenario_set_free(set);
            return -1;
        }
        set->items[set->count++] = sc;
    }
    return 0;
}

static int select_scenarios(const run_options_t *o, run_plan_t *p, char *err, size_t errlen)
{
    if (load_named(o, &p->set) != 0 &&
        scenario_load_dir(o->scenarios_dir, &p->set, err, errlen) != 0) {
        return 2;
    }
    p->set_loaded = true;
    p->sel = calloc(p->set.count ? p->set.count : 1, sizeof *p->sel);
    for (size_t i = 0; i < p->set.count; i++) {
        const scenario_t *s = p->set.items[i];
        if (!selected(o, s)) {
            continue;
        }
        /* A user's configuration stands in for `full`; a scenario pinned to another
         * profile shows that profile's behaviour and is left out. */
        if (p->has_user_config && s->kind != SCENARIO_REPLAY &&
            strcmp(run_config_of(s), "full") != 0) {
            p->n_left_out++;
            continue;
        }
        p->sel[p->n_sel++] = p->set.items[i];
    }
    if (p->n_sel == 0) {
        snprintf(err, errlen, "no scenario matches the filters");
        return 2;
    }
    qsort(p->sel, p->n_sel, sizeof *p->sel, cmp_by_config);
    /* Names become file names (logs/<name>.<backend>.log, images): refuse
     * any that could leave the run directory. */
    for (size_t i = 0; i < p->n_sel; i++) {
        const scenario_t *s = p->sel[i];
        if (!safe_name_valid(s->name)) {
            snprintf(err, errlen,
                     "%s: scenario name '%s' is not a safe file name (use [A-Za-z0-9._-], "
                     "not starting with '.')",
                     s->path, s->name);
            return 2;
        }
        if (!safe_name_valid(run_config_of(s))) {
            snprintf(err, errlen, "%s: config '%s' is not a safe file name", s->path,
                     run_config_of(s));
            return 2;
        }
    }
    return preflight_check(p->sel, p->n_sel, p->profiles, p->recipes, p->cache, err, errlen) != 0
               ? 2
               : 0;
}

static void add_group(run_plan_t *p, size_t first, const char *stack, const char *backend,
                      const char *config, bool replay)
{
    if (p->n_items > first) {
        p->groups[p->n_groups++] = (run_group_t){.first = first,
                                                 .count = p->n_items - first,
                                                 .stack = stack,
                                                 .backend = backend,
                                                 .config = config,
                                                 .replay = replay};
    }
}

/* Every scenario x stack x backend x repeat, in the order they will run: stack by stack, so
 * each stack's images run together. */
static void expand(const run_options_t *o, run_plan_t *p)
{
    unsigned reps = o->repeat ? o->repeat : 1u;
    size_t n_replay = 0;
    while (n_replay < p->n_sel && p->sel[n_replay]->kind == SCENARIO_REPLAY) {
        n_replay++;
    }
    size_t cap = n_replay + (p->n_sel - n_replay) * p->n_stacks * p->n_backends * reps;
    p->items = calloc(cap ? cap : 1, sizeof *p->items);
    p->groups = calloc(cap ? cap : 1, sizeof *p->groups);
    /* Replays need no image: once each, under the first backend. */
    for (size_t i = 0; i < n_replay; i++) {
        p->items[p->n_items++] =
            (run_item_t){.s = p->sel[i], .stack = p->stacks[0], .backend = p->backends[0]};
    }
    add_group(p, 0, p->stacks[0], p->backends[0], "", true);
    for (size_t k = 0; k < p->n_stacks * p->n_backends; k++) {
        size_t b = k % p->n_backends;
        const char *stack = p->stacks[k / p->n_backends];
        size_t start = n_replay;
        while (start < p->n_sel) {
            size_t end = start + 1;
            while (end < p->n_sel &&
                   strcmp(run_config_of(p->sel[end]), run_config_of(p->sel[start])) == 0) {
                end++;
            }
            size_t first = p->n_items;
            for (size_t i = start; i < end; i++) {
                /* `stacks:` (a wolfssl-* scenario): not planned on other stacks. */
                for (unsigned r = 0; r < reps && scenario_runs_on(p->sel[i], stack); r++) {
                    p->items[p->n_items++] = (run_item_t){
                        .s = p->sel[i], .stack = stack, .backend = p->backends[b], .rep = r};
                }
            }
            add_group(p, first, stack, p->backends[b], run_plan_config_of(p, p->sel[start]), false);
            start = end;
        }
    }
}

/* issue 18 wolfqemu: groups whose image the build does not make (a profile left out of its
 * TLSRIG_*_PROFILES) are marked, and their scenarios recorded as skipped with the reason; when
 * no image of the run is made, the run is refused (2) before anything starts. The user's
 * configuration (--config-file) builds its images in a tree of its own: not checked here. */
static int check_images_built(const run_options_t *o, run_plan_t *p, char *err, size_t errlen)
{
    if (p->has_user_config || o->build_dir == NULL) {
        return 0;
    }
    size_t targets = 0, missing = 0;
    char first[300] = "";
    const char *first_stack = NULL;
    for (size_t g = 0; g < p->n_groups; g++) {
        run_group_t *grp = &p->groups[g];
        if (grp->replay) {
            continue;
        }
        char target[300];
        image_target_name(p->board, grp->backend, grp->config, grp->stack, target, sizeof target);
        targets++;
        if (image_target_lookup(o->build_dir, target) == IMAGE_TARGET_NOT_LISTED) {
            grp->not_built = true;
            if (missing++ == 0) {
                snprintf(first, sizeof first, "%s", target);
                first_stack = grp->stack;
            }
        }
    }
    bool replays = p->n_groups > 0 && p->groups[0].replay;
    if (targets > 0 && missing == targets && !replays) {
        snprintf(err, errlen,
                 "build %s makes none of the images this run needs (%s%s): its %s lists "
                 "what it makes; configure it with the profiles (%s, docs/stacks.md)",
                 o->build_dir, first, missing > 1 ? ", ..." : "", IMAGE_TARGETS_FILE,
                 image_target_hint(board_firmware(p->board), first_stack));
        return 2;
    }
    return 0;
}

int run_plan_build(const run_options_t *o, run_plan_t *p, char *err, size_t errlen)
{
    memset(p, 0, sizeof *p);
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/rig-config/boards", o->source_dir);
    snprintf(p->profiles, sizeof p->profiles, "%s/fixtures/profiles", o->source_dir);
    snprintf(p->recipes, sizeof p->recipes, "%s/fixtures/certs/recipes.yaml", o->source_dir);
    snprintf(p->cache, sizeof p->cache, "%s/.cache/certs", o->source_dir);
    if (!safe_name_valid(o->board)) {
        snprintf(err, errlen, "invalid board name '%s': %s (see `tlsrig list`)", o->board,
                 safe_name_problem(o->board));
        return 2;
    }
    snprintf(p->board_file, sizeof p->board_file, "%s/%s.yaml", dir, o->board);
    p->board = board_config_load(dir, o->board, err, errlen);
    if (!p->board) {
        return 2;
    }
    int rc = check_backends(o, p, err, errlen);
    if (rc == 0) {
        rc = check_stacks(o, p, err, errlen);
    }
    if (rc == 0) {
        rc = check_config_file(o, p, err, errlen);
    }
    if (rc == 0) {
        rc = check_fault(o, p, err, errlen);
    }
    if (rc == 0) {
        rc = select_scenarios(o, p, err, errlen);
    }
    if (rc == 0) {
        expand(o, p);
        if (p->n_items == 0) {
            snprintf(err, errlen,
                     "no selected scenario runs on --stack %s (see each scenario's `stacks:`)",
                     o->stack ? o->stack : STACK_DEFAULT);
            rc = 2;
        }
    }
    if (rc == 0) {
        rc = check_images_built(o, p, err, errlen);
    }
    return rc;
}

void run_plan_free(run_plan_t *p)
{
    free(p->items);
    free(p->groups);
    free(p->sel);
    if (p->set_loaded) {
        scenario_set_free(&p->set);
    }
    board_config_free(p->board);
    if (p->has_user_config) {
        user_config_free(&p->user_config);
    }
    memset(p, 0, sizeof *p);
}

static json_t *string_list(const char *const *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(a, json_string(v[i]));
    }
    return a;
}

json_t *run_plan_start_record(const run_plan_t *p, const run_options_t *o, const char *out_dir)
{
    char now[64];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    json_t *planned = json_array();
    for (size_t i = 0; i < p->n_items; i++) {
        const run_item_t *it = &p->items[i];
        if (it->rep > 0) {
            continue; /* counted in "runs" of its first repeat */
        }
        unsigned runs = 1;
        while (i + runs < p->n_items && p->items[i + runs].s == it->s &&
               p->items[i + runs].backend == it->backend && p->items[i + runs].stack == it->stack) {
            runs++;
        }
        json_array_append_new(planned,
                              json_pack("{ss ss ss ss ss si}", "scenario", it->s->name, "kind",
                                        it->s->kind == SCENARIO_REPLAY ? "replay" : "target",
                                        "stack", it->stack, "backend", it->backend, "config",
                                        run_plan_config_of(p, it->s), "runs", (int)runs));
    }
    json_t *sel =
        json_pack("{so so ss? si si sb si}", "scenario", string_list(o->globs, o->n_globs), "tag",
                  string_list(o->tags, o->n_tags), "config", o->config, "repeat",
                  (int)(o->repeat ? o->repeat : 1u), "retries", (int)o->infra_retries, "fail_fast",
                  o->fail_fast, "server_debug", (int)o->server_debug);
    json_t *r = json_pack("{ss si ss ss ss ss so so s{ss ss} sI so}", "record", "run-start",
                          "format", 2, "started_at", now, "board", p->board->name, "board_file",
                          p->board_file, "out_dir", out_dir, "backends",
                          string_list(p->backends, p->n_backends), "selection", sel, "versions",
                          "tlsrig", TLSRIG_VERSION, "host_mbedtls", MBEDTLS_VERSION_STRING,
                          "expected_results", (json_int_t)p->n_items, "planned", planned);
    json_object_set_new(r, "stacks", string_list(p->stacks, p->n_stacks));
    json_t *origin = run_origin_json(o->source_dir); /* host and commit: the run history */
    json_object_update(r, origin);
    json_decref(origin);
    json_t *cf = run_plan_config_file_json(p);
    if (cf) {
        json_object_set_new(cf, "left_out", json_integer((json_int_t)p->n_left_out));
        json_object_set_new(r, "config_file", cf);
    }
    if (o->fault) {
        json_object_set_new(r, "inject_fault",
                            json_pack("{ss si}", "name", o->fault, "every",
                                      (int)(o->fault_every ? o->fault_every : 1u)));
    }
    return r;
}
