/* The farm view: tlsrig merge of runs from several hosts and boards, one report with a
 * host x board matrix, and compare of merged runs (issue 19). */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "farm_matrix.h"
#include "report_test_util.h"
#include "results_log.h"
#include "run_compare.h"
#include "run_merge.h"
#include "run_summary.h"

/* A run directory under root: a run-start record (host may be NULL: a run from before
 * hosts were recorded), one result per scenario ("name:outcome:met"), a run-end record. */
static const char *make_run(const char *root, const char *name, const char *host, const char *board,
                            const char *const *results, size_t n)
{
    static char dir[4096];
    snprintf(dir, sizeof dir, "%s/%s", root, name);
    cr_assert_eq(mkdir(dir, 0755), 0, "%s", dir);
    char path[4200];
    snprintf(path, sizeof path, "%s/results.jsonl", dir);
    FILE *f = fopen(path, "w");
    cr_assert(f != NULL);
    json_t *planned = json_array();
    for (size_t i = 0; i < n; i++) {
        char sc[64];
        sscanf(results[i], "%63[^:]", sc);
        json_array_append_new(planned,
                              json_pack("{ss ss ss ss si}", "scenario", sc, "kind", "target",
                                        "backend", "sw", "config", "full", "runs", 1));
    }
    json_t *start = json_pack("{ss si ss so sI}", "record", "run-start", "format", 2, "board",
                              board, "planned", planned, "expected_results", (json_int_t)n);
    if (host) {
        json_object_set_new(start, "host", json_string(host));
    }
    char *line = json_dumps(start, JSON_COMPACT);
    fprintf(f, "%s\n", line);
    free(line);
    json_decref(start);
    for (size_t i = 0; i < n; i++) {
        char sc[64], outcome[32];
        int met = 0;
        cr_assert_eq(sscanf(results[i], "%63[^:]:%31[^:]:%d", sc, outcome, &met), 3);
        json_t *r = json_pack("{ss ss ss ss ss ss sb si si}", "scenario", sc, "kind", "target",
                              "backend", "sw", "board", board, "config", "full", "outcome", outcome,
                              "expect_met", met, "heap_peak", 1000, "bytes_out", 500);
        line = json_dumps(r, JSON_COMPACT);
        fprintf(f, "%s\n", line);
        free(line);
        json_decref(r);
    }
    fprintf(f, "{\"record\":\"run-end\",\"format\":2,\"status\":\"complete\"}\n");
    cr_assert_eq(fclose(f), 0);
    return dir;
}

/* Three runs: sim on host-a; sim and qemu-f405 on host-b. */
static void make_farm(const char *root, const char *qemu_b_outcome, char dirs[3][4096])
{
    const char *sim_a[] = {"s1:pass:1", "s2:pass:1"};
    const char *sim_b[] = {"s1:pass:1", "s2:skipped:0"};
    char qemu_b1[64];
    snprintf(qemu_b1, sizeof qemu_b1, "s1:%s", qemu_b_outcome);
    const char *qemu_b[] = {qemu_b1};
    snprintf(dirs[0], 4096, "%s", make_run(root, "a-sim", "host-a", "sim", sim_a, 2));
    snprintf(dirs[1], 4096, "%s", make_run(root, "b-sim", "host-b", "sim", sim_b, 2));
    snprintf(dirs[2], 4096, "%s", make_run(root, "b-qemu", "host-b", "qemu-f405", qemu_b, 1));
}

static const json_t *cell(const json_t *farm, const char *host, const char *board)
{
    size_t i;
    const json_t *c;
    json_array_foreach(json_object_get(farm, "cells"), i, c)
    {
        if (strcmp(json_string_value(json_object_get(c, "host")), host) == 0 &&
            strcmp(json_string_value(json_object_get(c, "board")), board) == 0) {
            return json_object_get(c, "totals");
        }
    }
    return NULL;
}

static json_int_t num(const json_t *t, const char *key)
{
    return json_integer_value(json_object_get(t, key));
}

Test(report_farm, merge_of_hosts_and_boards_has_a_host_board_matrix)
{
    char root[4096], dirs[3][4096], out[4200];
    snprintf(root, sizeof root, "%s", scratch_dir());
    make_farm(root, "pass:1", dirs);
    snprintf(out, sizeof out, "%s/merged", root);
    const char *in[] = {dirs[0], dirs[1], dirs[2]};
    char err[512];
    cr_assert_eq(run_merge(in, 3, out, err, sizeof err), 0, "%s", err);

    /* Every merged line names the host that ran it. */
    size_t skipped = 0;
    json_t *all = results_log_read(out, &skipped, err, sizeof err);
    cr_assert(all != NULL, "%s", err);
    const char *hosts[] = {"host-a", "host-a", "host-b", "host-b", "host-b"};
    cr_assert_eq(json_array_size(all), 5);
    for (size_t i = 0; i < 5; i++) {
        const json_t *src = json_object_get(json_array_get(all, i), "source");
        cr_expect_str_eq(json_string_value(json_object_get(src, "host")), hosts[i]);
    }
    json_decref(all);

    char *doc_text = slurp(out, "report.json");
    cr_assert(doc_text != NULL);
    json_error_t e;
    json_t *doc = json_loads(doc_text, 0, &e);
    cr_assert(doc != NULL, "%s", e.text);
    const json_t *farm = json_object_get(doc, "farm");
    cr_assert_eq(json_array_size(json_object_get(farm, "hosts")), 2);
    cr_assert_eq(json_array_size(json_object_get(farm, "boards")), 2);
    cr_assert_eq(json_array_size(json_object_get(farm, "cells")), 3, "host-a has no qemu cell");
    const json_t *a_sim = cell(farm, "host-a", "sim"), *b_sim = cell(farm, "host-b", "sim"),
                 *b_qemu = cell(farm, "host-b", "qemu-f405");
    cr_assert(a_sim && b_sim && b_qemu);
    cr_expect_eq(num(a_sim, "met"), 2);
    cr_expect_eq(num(b_sim, "met"), 1);
    cr_expect_eq(num(b_sim, "skipped"), 1);
    cr_expect_eq(num(b_qemu, "met"), 1);
    cr_assert_null(cell(farm, "host-a", "qemu-f405"));
    json_decref(doc);
    free(doc_text);

    char *md = slurp(out, "summary.md");
    cr_assert(strstr(md, "### Farm: 2 host(s) x 2 board(s)") != NULL, "%s", md);
    cr_assert(strstr(md, "| host | qemu-f405 | sim |") != NULL, "%s", md);
    cr_assert(strstr(md, "| host-a | - | 2 of 2 met |") != NULL, "%s", md);
    cr_assert(strstr(md, "| host-b | 1 of 1 met | 1 of 1 met, 1 skipped |") != NULL, "%s", md);
    free(md);
    char *html = slurp(out, "report.html");
    cr_assert(html && strstr(html, "<h2 id=farm>") != NULL);
    cr_assert(strstr(html, "<th>host-b</th>") != NULL);
    free(html);
}

Test(report_farm, runs_without_a_host_show_a_dash_and_one_cell_shows_no_matrix)
{
    char root[4096];
    snprintf(root, sizeof root, "%s", scratch_dir());
    const char *r[] = {"s1:pass:1"};
    const char *dir = make_run(root, "old", NULL, "sim", r, 1);
    run_log_t log;
    char err[512];
    cr_assert_eq(results_log_load(dir, &log, err, sizeof err), 0, "%s", err);
    json_t *farm = farm_matrix(log.results, log.records);
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(farm, "hosts"), 0)), "-");
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    farm_matrix_markdown(f, farm);
    fclose(f);
    cr_assert_str_eq(buf, "", "a single cell needs no matrix");
    free(buf);
    json_decref(farm);
    run_log_free(&log);
}

/* compare works on merged runs: keys carry the board, so a regression on one board of one
 * host shows as that board's, and two identical farms compare clean. */
Test(report_farm, compare_of_merged_runs)
{
    char root[4096], base_dirs[3][4096], new_dirs[3][4096], same_dirs[3][4096];
    snprintf(root, sizeof root, "%s", scratch_dir());
    char b[4200], n[4200], s[4200];
    snprintf(b, sizeof b, "%s/base", root);
    snprintf(n, sizeof n, "%s/new", root);
    snprintf(s, sizeof s, "%s/same", root);
    cr_assert_eq(mkdir(b, 0755) | mkdir(n, 0755) | mkdir(s, 0755), 0);
    make_farm(b, "pass:1", base_dirs);
    make_farm(n, "fail:0", new_dirs);
    make_farm(s, "pass:1", same_dirs);
    char mb[4300], mn[4300], ms[4300], err[512];
    snprintf(mb, sizeof mb, "%s/merged", b);
    snprintf(mn, sizeof mn, "%s/merged", n);
    snprintf(ms, sizeof ms, "%s/merged", s);
    const char *ib[] = {base_dirs[0], base_dirs[1], base_dirs[2]};
    const char *in[] = {new_dirs[0], new_dirs[1], new_dirs[2]};
    const char *is[] = {same_dirs[0], same_dirs[1], same_dirs[2]};
    cr_assert_eq(run_merge(ib, 3, mb, err, sizeof err), 0, "%s", err);
    cr_assert_eq(run_merge(in, 3, mn, err, sizeof err), 0, "%s", err);
    cr_assert_eq(run_merge(is, 3, ms, err, sizeof err), 0, "%s", err);
    compare_opts_t o;
    compare_opts_default(&o);
    json_t *cmp = compare_dirs(mb, mn, &o, err, sizeof err);
    cr_assert(cmp != NULL, "%s", err);
    cr_assert(json_is_true(json_object_get(cmp, "regression")));
    const json_t *nf = json_object_get(cmp, "new_failures");
    cr_assert_eq(json_array_size(nf), 1, "%s", json_dumps(cmp, 0));
    char *item = json_dumps(json_array_get(nf, 0), JSON_ENCODE_ANY);
    cr_assert(strstr(item, "s1|sw|qemu-f405") != NULL, "%s", item);
    free(item);
    json_decref(cmp);
    cmp = compare_dirs(mb, ms, &o, err, sizeof err);
    cr_assert(cmp != NULL, "%s", err);
    cr_assert(json_is_false(json_object_get(cmp, "regression")), "%s", json_dumps(cmp, 0));
    /* The sim results of both hosts are samples of one key each: none missing, none added. */
    cr_assert_eq(json_array_size(json_object_get(cmp, "missing")), 0);
    cr_assert_eq(json_array_size(json_object_get(cmp, "added")), 0);
    json_decref(cmp);
}
