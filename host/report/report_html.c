#define _POSIX_C_SOURCE 200809L
#include "report_html.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "farm_matrix.h"
#include "html_util.h"
#include "report_charts.h"
#include "report_html_style.h"
#include "report_file.h"
#include "report_history.h"
#include "report_html_result.h"
#include "report_model.h"
#include "result_texts.h"
#include "run_compare.h"
#include "stack_compare.h"

static void header(FILE *f, const json_t *doc)
{
    const json_t *m = json_object_get(doc, "meta"), *t = json_object_get(doc, "totals");
    fputs("<header><h1>tlsrig run report</h1><div class=meta>", f);
    static const char *const lists[][2] = {
        {"boards", "boards"}, {"backends", "backends"}, {"run_ids", "runs"}};
    for (size_t k = 0; k < 3; k++) {
        const json_t *a = json_object_get(m, lists[k][0]);
        fprintf(f, "%s%s: ", k ? " &middot; " : "", lists[k][1]);
        size_t i;
        const json_t *v;
        json_array_foreach(a, i, v)
        {
            if (i == 4) {
                fprintf(f, ", +%zu more", json_array_size(a) - 4);
                break;
            }
            fputs(i ? ", " : "", f);
            html_text(f, json_string_value(v));
        }
    }
    size_t n_cf;
    const json_t *cf;
    json_array_foreach(json_object_get(m, "config_files"), n_cf, cf)
    {
        /* issue 17 cfgfile: the user's own mbedTLS configuration, by file and digest. */
        fputs(" &middot; mbedTLS configuration: ", f);
        html_text(f, rm_str(cf, "path", ""));
        fputs(" (sha256 <code>", f);
        html_text(f, rm_str(cf, "sha256", ""));
        fputs("</code>, ", f);
        html_text(f, rm_str(cf, "stack", ""));
        fputs(")", f);
    }
    fputs(" &middot; generated ", f);
    html_text(f, rm_str(m, "generated_at", ""));
    fputs("</div><nav>", f);
    if (json_object_get(doc, "stacks_side_by_side")) {
        fputs("<a href='#stacks'>stacks</a>", f);
    }
    fputs("<a href='#matrix'>matrix</a><a href='#parity'>hw vs sw</a>"
          "<a href='#results'>results</a></nav></header><main>",
          f);
    const json_t *c = json_object_get(m, "completeness");
    const char *status = rm_str(c, "status", "unknown");
    bool green = rm_num(t, "unmet", 0) == 0 && rm_num(t, "not_run", 0) == 0 &&
                 strcmp(status, "complete") == 0;
    fprintf(f, "<div class=tot><div class=%s><b>%.0f / %.0f</b>expectations met</div>",
            green ? "met-pass" : "unmet", rm_num(t, "met", 0), rm_num(t, "applicable", 0));
    static const char *const counts[][3] = {{"pass", "pass", "met-pass"},
                                            {"fail", "fail", "met-fail"},
                                            {"infra_error", "infra error", "infra"},
                                            {"not_run", "never ran", "infra"},
                                            {"skipped", "skipped", "skip"},
                                            {"flaky", "flaky", "skip"}};
    for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++) {
        fprintf(f, "<div class=%s><b>%.0f</b>%s</div>", counts[k][2], rm_num(t, counts[k][0], 0),
                counts[k][1]);
    }
    fputs("</div>", f);
    if (strcmp(status, "complete") != 0) {
        if (strcmp(status, "cut-short") == 0) {
            fprintf(f, "<div class=alarm><b>Run cut short:</b> %.0f scenario run(s) never ran",
                    rm_num(c, "not_run", 0));
            if (rm_num(c, "planned", -1) >= 0) {
                fprintf(f, " (of %.0f planned)", rm_num(c, "planned", 0));
            }
            fputs(".", f);
        } else {
            fputs("<div class=warn><b>Run records missing: completeness unknown</b> "
                  "(results.jsonl has no run-start record; it may hold only part of the run).",
                  f);
        }
        size_t i;
        const json_t *v;
        json_array_foreach(json_object_get(c, "reasons"), i, v)
        {
            fputs(i ? "; " : " ", f);
            html_text(f, json_string_value(v));
        }
        fputs("</div>", f);
    }
    if (rm_num(m, "skipped_lines", 0) > 0) {
        fprintf(f, "<div class=warn>%.0f unreadable line(s) in results.jsonl were skipped.</div>",
                rm_num(m, "skipped_lines", 0));
    }
    if (rm_num(t, "total", 0) == 0) {
        fputs("<div class=warn>No results in this run.</div>", f);
    }
}

static void compare_list(FILE *f, const json_t *cmp, const char *field, const char *title)
{
    const json_t *a = json_object_get(cmp, field);
    if (json_array_size(a) == 0) {
        return;
    }
    fprintf(f, "<h3>%s (%zu)</h3><ul class=ev>", title, json_array_size(a));
    size_t i;
    const json_t *v;
    json_array_foreach(a, i, v)
    {
        fputs("<li><code>", f);
        html_text(f, json_is_string(v) ? json_string_value(v) : rm_str(v, "key", "?"));
        fputs("</code> ", f);
        if (json_is_object(v)) {
            html_text(f, rm_str(v, "verdict", ""));
            fputs(" ", f);
            html_text(f, rm_str(v, "detail", ""));
        }
        fputs("</li>", f);
    }
    fputs("</ul>", f);
}

static void comparison(FILE *f, const json_t *cmp)
{
    if (!cmp) {
        return;
    }
    size_t n = (size_t)rm_num(cmp, "regressions", 0);
    fputs("<h2>Against the baseline</h2>", f);
    fprintf(f, "<div class=%s>%s</div>", n ? "alarm" : "good",
            n ? "<b>Regression</b> against the baseline." : "No regression against the baseline.");
    compare_list(f, cmp, "new_failures", "New failures");
    compare_list(f, cmp, "fixed", "Fixed");
    compare_list(f, cmp, "missing", "Missing from this run");
    static const char *const tables[] = {"parity_changes", "counters", "timing"};
    for (size_t k = 0; k < 3; k++) {
        const json_t *a = json_object_get(cmp, tables[k]);
        if (json_array_size(a) > 0) {
            fprintf(f, "<h3>%s</h3>", tables[k]);
            html_json(f, a, 200);
        }
    }
    compare_rules_html(f, cmp);
}

/* Rows: scenarios in run order; columns: board x backend. The last result
 * of a cell is shown, with the number of runs when repeated. */
static void matrix(FILE *f, const json_t *results)
{
    json_t *cols = json_array(), *rows = json_array(), *cells = json_object();
    size_t i;
    const json_t *r;
    json_t *boards = rm_distinct(results, "board");
    bool multi = json_array_size(boards) > 1;
    json_decref(boards);
    json_array_foreach(results, i, r)
    {
        char col[256], key[600], label[64];
        /* One column per board x stack x backend: two stacks stand side by side. */
        snprintf(col, sizeof col, "%s%s%s", multi ? rm_str(r, "board", "") : "", multi ? " " : "",
                 rm_backend_label(r, label, sizeof label));
        json_t *seen_col = json_object_get(cells, col);
        if (!seen_col) {
            json_array_append_new(cols, json_string(col));
            json_object_set_new(cells, col, json_true());
        }
        const char *sc = rm_str(r, "scenario", "?");
        snprintf(key, sizeof key, "row:%s", sc);
        if (!json_object_get(cells, key)) {
            json_array_append_new(rows, json_string(sc));
            json_object_set_new(cells, key, json_true());
        }
        snprintf(key, sizeof key, "%s\x1f%s", sc, col);
        json_t *prev = json_object_get(cells, key);
        json_int_t count = prev ? json_integer_value(json_object_get(prev, "n")) : 0;
        json_object_set_new(cells, key, json_pack("{sI sI}", "i", (json_int_t)i, "n", count + 1));
    }
    fputs("<h2 id=matrix>Scenario &times; backend</h2><table class='grid "
          "matrix'><tr><th>scenario</th>",
          f);
    json_t *c;
    json_array_foreach(cols, i, c)
    {
        fputs("<th>", f);
        html_text(f, json_string_value(c));
        fputs("</th>", f);
    }
    fputs("</tr>", f);
    size_t k;
    json_t *row;
    json_array_foreach(rows, k, row)
    {
        fputs("<tr><td>", f);
        html_text(f, json_string_value(row));
        fputs("</td>", f);
        json_array_foreach(cols, i, c)
        {
            char key[600];
            snprintf(key, sizeof key, "%s\x1f%s", json_string_value(row), json_string_value(c));
            const json_t *cell = json_object_get(cells, key);
            if (!cell) {
                fputs("<td class='c skip'>&ndash;</td>", f);
                continue;
            }
            json_int_t idx = json_integer_value(json_object_get(cell, "i"));
            json_int_t n = json_integer_value(json_object_get(cell, "n"));
            const json_t *res = json_array_get(results, (size_t)idx);
            fprintf(f, "<td class='c %s'><a href='#r%lld'>%s", report_html_cell_class(res),
                    (long long)idx, report_html_cell_label(res));
            if (n > 1) {
                fprintf(f, " &times;%lld", (long long)n);
            }
            const char *v = rm_str(res, "verdict", "");
            if (v[0] && !(rm_met(res) && rm_is(res, "pass"))) {
                fputs("<span class=vd>", f);
                html_text(f, v);
                fputs("</span>", f);
            }
            fputs("</a></td>", f);
        }
        fputs("</tr>", f);
    }
    fputs("</table>", f);
    json_decref(cols);
    json_decref(rows);
    json_decref(cells);
}

/* results[i]'s block: as rendered while the run went on, when it was rendered as this page
 * would render it now. */
static void result_block(FILE *f, const char *dir, const json_t *r, size_t i, size_t n,
                         const run_log_t *texts)
{
    const result_text_t *t = texts ? result_texts_at(texts, i, r) : NULL;
    if (t && t->html && t->html_idx == i) {
        bool open_then, open_now;
        size_t lines_then, lines_now;
        report_html_result_form(r, t->html_n, &open_then, &lines_then);
        report_html_result_form(r, n, &open_now, &lines_now);
        if (open_then == open_now && lines_then == lines_now) {
            fwrite(t->html, 1, t->html_len, f);
            return;
        }
    }
    report_html_result(f, dir, r, i, n);
}

static void details(FILE *f, const char *dir, const json_t *results, const run_log_t *texts)
{
    size_t i, n = json_array_size(results);
    const json_t *r;
    fputs("<h2 id=results>Results</h2>", f);
    /* Unexpected results first; the rest after them. */
    for (int pass = 0; pass < 2; pass++) {
        json_array_foreach(results, i, r)
        {
            bool bad = !rm_met(r) && !rm_is(r, "skipped");
            if (bad != (pass == 0)) {
                continue;
            }
            result_block(f, dir, r, i, n, texts);
        }
    }
}

void report_html_emit(FILE *f, const char *dir, const json_t *doc, const run_log_t *texts)
{
    const json_t *results = json_object_get(doc, "results");
    fprintf(f,
            "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>"
            "<meta name=viewport content='width=device-width,initial-scale=1'>"
            "<title>tlsrig report</title><style>%s</style></head><body>",
            report_css);
    header(f, doc);
    comparison(f, json_object_get(doc, "compare"));
    if (json_object_get(doc, "stacks_side_by_side")) {
        stack_compare_html(f, json_object_get(doc, "stacks_side_by_side"));
    }
    farm_matrix_html(f, json_object_get(doc, "farm"));
    matrix(f, results);
    report_charts_html(f, doc, results);
    report_history_html(f, json_object_get(doc, "history"));
    details(f, dir, results, texts);
    fputs("</main></body></html>\n", f);
}

int report_html_write(const char *dir, const json_t *doc, const run_log_t *texts, char *err,
                      size_t errlen)
{
    report_file_t rf;
    if (report_file_open(&rf, dir, "report.html", err, errlen) != 0) {
        return -1;
    }
    report_html_emit(rf.f, dir, doc, texts);
    return report_file_commit(&rf, err, errlen);
}
