#include "report_markdown.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "farm_matrix.h"
#include "report_file.h"
#include "report_history.h"
#include "report_model.h"
#include "run_compare.h"
#include "stack_compare.h"
#include "stacks.h"

/* A table cell: no pipes or line breaks, bounded length. */
static void cell(FILE *f, const char *s)
{
    size_t n = 0;
    for (; *s && n < 160; s++, n++) {
        if (*s == '|') {
            fputs("\\|", f);
        } else if (*s == '\n' || *s == '\r' || *s == '\t') {
            fputc(' ', f);
        } else {
            fputc(*s, f);
        }
    }
    if (*s) {
        fputs("...", f);
    }
}

static void completeness(FILE *f, const json_t *meta)
{
    const json_t *c = json_object_get(meta, "completeness");
    const char *status = rm_str(c, "status", "unknown");
    if (strcmp(status, "complete") == 0) {
        return;
    }
    if (strcmp(status, "cut-short") == 0) {
        fprintf(f, "> **Run cut short:** %.0f scenario run(s) never ran", rm_num(c, "not_run", 0));
        if (rm_num(c, "planned", -1) >= 0) {
            fprintf(f, " (of %.0f planned)", rm_num(c, "planned", 0));
        }
        fputs(".", f);
    } else {
        fputs("> **Run records missing: completeness unknown** (results.jsonl has no run-start "
              "record; it may hold only part of the run).",
              f);
    }
    size_t i;
    const json_t *v;
    json_array_foreach(json_object_get(c, "reasons"), i, v)
    {
        fputs(i ? "; " : " ", f);
        cell(f, json_string_value(v));
    }
    fputs("\n\n", f);
}

static void totals(FILE *f, const json_t *doc)
{
    const json_t *t = json_object_get(doc, "totals"), *m = json_object_get(doc, "meta");
    size_t unmet = (size_t)rm_num(t, "unmet", 0), not_run = (size_t)rm_num(t, "not_run", 0);
    bool complete =
        strcmp(rm_str(json_object_get(m, "completeness"), "status", ""), "complete") == 0;
    bool green = unmet == 0 && not_run == 0 && complete && rm_num(t, "applicable", 0) > 0;
    fprintf(f, "## tlsrig: %s %.0f of %.0f expectations met",
            green ? ":white_check_mark:" : ":x:", rm_num(t, "met", 0), rm_num(t, "applicable", 0));
    if (not_run) {
        fprintf(f, ", %zu never ran", not_run);
    }
    fputs("\n\n", f);
    completeness(f, m);
    fputs("Boards: ", f);
    size_t i;
    const json_t *v;
    json_array_foreach(json_object_get(m, "boards"), i, v)
    {
        fprintf(f, "%s`%s`", i ? ", " : "", json_string_value(v));
    }
    fputs(" &middot; backends: ", f);
    json_array_foreach(json_object_get(m, "backends"), i, v)
    {
        fprintf(f, "%s`%s`", i ? ", " : "", json_string_value(v));
    }
    json_array_foreach(json_object_get(m, "config_files"), i, v)
    {
        /* issue 17 cfgfile: the user's own mbedTLS configuration, by file and digest. */
        fputs(" &middot; mbedTLS configuration: `", f);
        cell(f, rm_str(v, "path", ""));
        fprintf(f, "` (sha256 `%s`, %s)", rm_str(v, "sha256", ""), rm_str(v, "stack", ""));
    }
    if (json_array_size(json_object_get(m, "stacks")) > 1) {
        fputs(" &middot; stacks: ", f);
        json_array_foreach(json_object_get(m, "stacks"), i, v)
        {
            fprintf(f, "%s`%s`", i ? ", " : "", json_string_value(v));
        }
    }
    fputs("\n\n| pass | fail | infra-error | skipped | not run | flaky | total "
          "|\n|---:|---:|---:|---:|---:|---:|---:|\n",
          f);
    fprintf(f, "| %.0f | %.0f | %.0f | %.0f | %zu | %.0f | %.0f |\n\n", rm_num(t, "pass", 0),
            rm_num(t, "fail", 0), rm_num(t, "infra_error", 0), rm_num(t, "skipped", 0), not_run,
            rm_num(t, "flaky", 0), rm_num(t, "total", 0));
    if (rm_num(m, "skipped_lines", 0) > 0) {
        fprintf(f, "> %.0f unreadable line(s) in results.jsonl were skipped.\n\n",
                rm_num(m, "skipped_lines", 0));
    }
}

static void causes(FILE *f, const json_t *doc)
{
    const json_t *c = json_object_get(doc, "causes");
    if (json_array_size(c) == 0) {
        return;
    }
    fputs("### Root causes\n\n| results | cause | names | first |\n|---:|---|---|---|\n", f);
    size_t i, k;
    const json_t *g, *who;
    json_array_foreach(c, i, g)
    {
        fprintf(f, "| %.0f | ", rm_num(g, "count", 0));
        cell(f, rm_str(g, "cause", "?"));
        fputs(" | ", f);
        cell(f, rm_str(g, "detail", ""));
        fputs(" | ", f);
        json_array_foreach(json_object_get(g, "first"), k, who)
        {
            fputs(k ? ", " : "", f);
            cell(f, json_string_value(who));
        }
        fputs(" |\n", f);
    }
    fputs("\n", f);
}

static void failures(FILE *f, const json_t *doc)
{
    size_t i, shown = 0;
    const json_t *r;
    json_array_foreach(json_object_get(doc, "results"), i, r)
    {
        if (rm_met(r) || rm_is(r, "skipped")) {
            continue;
        }
        if (shown == 200) {
            fputs("| ... | | | | | more in report.html |\n", f);
        }
        if (shown++ >= 200) {
            continue;
        }
        if (shown == 1) {
            fputs(
                "### Not as expected\n\n| scenario | backend | board | outcome | verdict | detail "
                "|\n|---|---|---|---|---|---|\n",
                f);
        }
        fputs("| ", f);
        cell(f, rm_str(r, "scenario", "?"));
        fputs(" | ", f);
        char label[64];
        cell(f, rm_backend_label(r, label, sizeof label));
        fputs(" | ", f);
        cell(f, rm_str(r, "board", ""));
        fprintf(f, " | %s | ", rm_str(r, "outcome", "?"));
        cell(f, rm_str(r, "verdict", ""));
        fputs(" | ", f);
        cell(f, rm_is(r, "infra-error") ? rm_str(r, "infra_error", "")
                : rm_is(r, "not-run")   ? rm_str(r, "not_run_reason", "")
                                      : rm_str(r, "expect_detail", rm_str(r, "mbedtls_error", "")));
        fputs(" |\n", f);
    }
    if (shown) {
        fputs("\n", f);
    }
}

static void parity(FILE *f, const json_t *doc)
{
    const json_t *p = json_object_get(doc, "parity");
    size_t pairs = (size_t)rm_num(p, "pairs", 0);
    if (pairs == 0) {
        return;
    }
    fprintf(f, "### hw/sw parity: %.0f of %zu scenarios match\n\n", rm_num(p, "matched", 0), pairs);
    size_t i;
    const json_t *row;
    json_array_foreach(json_object_get(p, "rows"), i, row)
    {
        if (!json_is_true(json_object_get(row, "match"))) {
            fputs("- :x: `", f);
            cell(f, rm_str(row, "scenario", "?"));
            const char *stack = rm_str(row, "stack", STACK_DEFAULT);
            if (strcmp(stack, STACK_DEFAULT) != 0) {
                fputs("` on `", f);
                cell(f, stack);
            }
            fputs("`: ", f);
            cell(f, rm_str(row, "reason", ""));
            fputs("\n", f);
        }
    }
    fputs("\n", f);
}

static void list(FILE *f, const json_t *cmp, const char *field, const char *title)
{
    const json_t *a = json_object_get(cmp, field);
    if (json_array_size(a) == 0) {
        return;
    }
    fprintf(f, "**%s** (%zu):\n\n", title, json_array_size(a));
    size_t i;
    const json_t *v;
    json_array_foreach(a, i, v)
    {
        fputs("- `", f);
        cell(f, json_is_string(v) ? json_string_value(v) : rm_str(v, "key", "?"));
        fputs("`", f);
        if (json_is_object(v) && rm_str(v, "verdict", "")[0]) {
            fprintf(f, " verdict `%s`", rm_str(v, "verdict", ""));
        }
        fputs("\n", f);
    }
    fputs("\n", f);
}

static void regressions(FILE *f, const json_t *cmp)
{
    if (!cmp) {
        return;
    }
    size_t n = (size_t)rm_num(cmp, "regressions", 0);
    fprintf(f, "### Against the baseline: %s\n\n", n ? "regression" : "no regression");
    list(f, cmp, "new_failures", "New failures");
    list(f, cmp, "fixed", "Fixed");
    list(f, cmp, "missing", "Missing from this run");
    size_t i;
    const json_t *v;
    json_array_foreach(json_object_get(cmp, "parity_changes"), i, v)
    {
        fprintf(f, "- parity %s: `%s`\n",
                json_is_true(json_object_get(v, "new_match")) ? "restored" : "**lost**",
                rm_str(v, "scenario", "?"));
    }
    json_array_foreach(json_object_get(cmp, "counters"), i, v)
    {
        fprintf(f, "- `%s` %s: %.0f &rarr; %.0f%s\n", rm_str(v, "key", "?"),
                rm_str(v, "metric", "?"), rm_num(v, "base", 0), rm_num(v, "new", 0),
                json_is_true(json_object_get(v, "regression")) ? " **(up)**" : "");
    }
    json_array_foreach(json_object_get(cmp, "timing"), i, v)
    {
        fprintf(f, "- `%s` %s: x%.2f%s\n", rm_str(v, "key", "?"), rm_str(v, "metric", "?"),
                rm_num(v, "ratio", 0),
                json_is_true(json_object_get(v, "regression")) ? " **(slower)**" : " (faster)");
    }
    compare_rules_markdown(f, cmp);
    fputs("\n", f);
}

void report_markdown_emit(FILE *f, const json_t *doc)
{
    totals(f, doc);
    farm_matrix_markdown(f, json_object_get(doc, "farm"));
    causes(f, doc);
    failures(f, doc);
    parity(f, doc);
    if (json_object_get(doc, "stacks_side_by_side")) {
        stack_compare_markdown(f, json_object_get(doc, "stacks_side_by_side"));
    }
    regressions(f, json_object_get(doc, "compare"));
    report_history_markdown(f, json_object_get(doc, "history"));
    fputs("Full report: `report.html` (artifact); machine-readable: `report.json`.\n", f);
}

int report_markdown_write(const char *dir, const json_t *doc, char *err, size_t errlen)
{
    report_file_t rf;
    if (report_file_open(&rf, dir, "summary.md", err, errlen) != 0) {
        return -1;
    }
    report_markdown_emit(rf.f, doc);
    return report_file_commit(&rf, err, errlen);
}
