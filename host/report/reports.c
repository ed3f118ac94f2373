/* Every report of a run directory, rebuilt from results.jsonl alone. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "json_dump_stream.h"
#include "farm_matrix.h"
#include "junit.h"
#include "report_file.h"
#include "report_html.h"
#include "report_json.h"
#include "report_markdown.h"
#include "result_texts.h"
#include "results_log.h"
#include "report_model.h"
#include "run_compare.h"
#include "run_summary.h"

/* compare.json next to the reports, and the human summary on stdout. */
static json_t *compare_with_baseline(const char *dir, const char *baseline, const json_t *results,
                                     char *err, size_t errlen)
{
    size_t skipped = 0;
    json_t *base = results_log_read(baseline, &skipped, err, errlen);
    if (!base) {
        return NULL;
    }
    compare_opts_t o;
    compare_opts_default(&o);
    json_t *cmp = compare_results(base, results, &o);
    json_decref(base);
    report_file_t rf;
    if (report_file_open(&rf, dir, "compare.json", err, errlen) != 0 ||
        json_dump_stream(cmp, rf.f, JSON_INDENT(1) | JSON_SORT_KEYS | JSON_REAL_PRECISION(15)) !=
            0 ||
        report_file_commit(&rf, err, errlen) != 0) {
        if (rf.f) {
            report_file_abort(&rf);
        }
        json_decref(cmp);
        return NULL;
    }
    printf("\ncompared with baseline %s:\n", baseline);
    compare_print(stdout, cmp);
    return cmp;
}

/* DIR/history.json, the run-history snapshot written when the run was recorded
 * (docs/history.md): NULL when absent; -1 with err when present but unreadable. */
static int read_history(const char *dir, json_t **out, char *err, size_t errlen)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/history.json", dir);
    *out = NULL;
    if (access(path, F_OK) != 0) {
        return 0;
    }
    json_error_t je;
    *out = json_load_file(path, 0, &je);
    if (!*out || !json_is_array(json_object_get(*out, "series"))) {
        snprintf(err, errlen, "%s: line %d: %s", path, je.line, *out ? "no series array" : je.text);
        json_decref(*out);
        *out = NULL;
        return -1;
    }
    return 0;
}

/* report.html is the largest report (each result's log tail, read from its file): it is
 * written on a thread of its own while the others are written here (issue 16: about a third
 * of a millisecond per result at the end of every run). Both only read the document. */
typedef struct html_job {
    const char *dir;
    const json_t *doc;
    const run_log_t *texts;
    int rc;
    char err[1024];
} html_job_t;

static void *write_html(void *arg)
{
    html_job_t *j = arg;
    j->rc = report_html_write(j->dir, j->doc, j->texts, j->err, sizeof j->err);
    return NULL;
}

static bool has_parity_lines(const json_t *results)
{
    size_t i;
    const json_t *r;
    json_array_foreach(results, i, r)
    {
        if (strcmp(rm_str(r, "kind", ""), "parity") == 0) {
            return true;
        }
    }
    return false;
}

int run_reports_write(const char *dir, const char *baseline, json_t **verdict_out, char *err,
                      size_t errlen)
{
    run_log_t log;
    if (results_log_load(dir, &log, err, errlen) != 0) {
        return 2;
    }
    return run_reports_write_log(dir, &log, baseline, verdict_out, err, errlen);
}

int run_reports_write_log(const char *dir, run_log_t *loaded, const char *baseline,
                          json_t **verdict_out, char *err, size_t errlen)
{
    run_log_t log = *loaded;
    *loaded = (run_log_t){0};
    json_t *cmp = NULL, *doc = NULL, *verdict = NULL, *history = NULL;
    int rc = 0;
    if (read_history(dir, &history, err, errlen) != 0) {
        rc = 2;
        goto cleanup;
    }
    if (baseline) {
        /* Compared as recorded, before not-run results are added. */
        char cmp_err[1024] = "";
        cmp = compare_with_baseline(dir, baseline, log.results, cmp_err, sizeof cmp_err);
        if (!cmp) {
            snprintf(err, errlen, "baseline: %s", cmp_err);
            rc = 2;
            goto cleanup;
        }
    }
    /* Folding parity lines removes results and changes others: their texts would be stale. */
    if (has_parity_lines(log.results)) {
        result_texts_free(&log);
    }
    verdict = run_verdict(log.results, log.records, log.skipped,
                          cmp && json_is_true(json_object_get(cmp, "regression")));
    doc = report_document(dir, log.results, log.skipped, json_object_get(verdict, "completeness"),
                          cmp);
    json_object_set_new(doc, "farm", farm_matrix(log.results, log.records));
    if (history) {
        json_object_set(doc, "history", history);
    }
    report_files_defer(); /* the four synced together */
    html_job_t html = {.dir = dir, .doc = doc, .texts = &log};
    pthread_t html_thread;
    bool threaded = pthread_create(&html_thread, NULL, write_html, &html) == 0;
    rc = junit_write(dir, log.results, err, errlen);
    if (rc == 0) {
        rc = report_json_write(dir, doc, &log, err, errlen);
    }
    if (rc == 0) {
        rc = report_markdown_write(dir, doc, err, errlen);
    }
    if (threaded) {
        pthread_join(html_thread, NULL);
    } else {
        write_html(&html); /* no thread: written here */
    }
    if (rc == 0 && html.rc != 0) {
        snprintf(err, errlen, "%s", html.err);
        rc = html.rc;
    }
    char settle_err[1024] = "";
    if (report_files_settle(settle_err, sizeof settle_err) != 0 && rc == 0) {
        snprintf(err, errlen, "%s", settle_err);
        rc = -1;
    }
    rc = rc != 0 ? 3 : 0;
cleanup:
    if (rc == 0 && verdict_out) {
        *verdict_out = json_incref(verdict);
    }
    json_decref(verdict);
    json_decref(doc);
    json_decref(cmp);
    json_decref(history);
    run_log_free(&log);
    return rc;
}
