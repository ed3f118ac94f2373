#include "report_markdown.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "report_model.h"
#include "run_compare.h"

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

static void totals(FILE *f, const json_t *doc)
{
    const json_t *t = json_object_get(doc, "totals"), *m = json_object_get(doc, "meta");
    size_t unmet = (size_t)rm_num(t, "unmet", 0), infra = (size_t)rm_num(t, "infra_error", 0);
    fprintf(f, "## tlsrig: %s %.0f of %.0f expectations met\n\n",
            unmet == 0 ? ":white_check_mark:" : ":x:", rm_num(t, "met", 0), rm_num(t, "total", 0));
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
    fputs("\n\n| pass | fail | infra-error | skipped | flaky | total "
          "|\n|---:|---:|---:|---:|---:|---:|\n",
          f);
    fprintf(f, "| %.0f | %.0f | %zu | %.0f | %.0f | %.0f |\n\n", rm_num(t, "pass", 0),
            rm_num(t, "fail", 0), infra, rm_num(t, "skipped", 0), rm_num(t, "flaky", 0),
            rm_num(t, "total", 0));
    if (json_is_true(json_object_get(m, "cut_short"))) {
        fprintf(f,
                "> **Run cut short:** %.0f unreadable line(s) in results.jsonl were skipped.\n\n",
                rm_num(m, "skipped_lines", 0));
    }
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
        if (shown++ == 0) {
            fputs(
                "### Not as expected\n\n| scenario | backend | board | outcome | verdict | detail "
                "|\n|---|---|---|---|---|---|\n",
                f);
        }
        fputs("| ", f);
        cell(f, rm_str(r, "scenario", "?"));
        fputs(" | ", f);
        cell(f, rm_str(r, "backend", "?"));
        fputs(" | ", f);
        cell(f, rm_str(r, "board", ""));
        fprintf(f, " | %s | ", rm_str(r, "outcome", "?"));
        cell(f, rm_str(r, "verdict", ""));
        fputs(" | ", f);
        cell(f, rm_is(r, "infra-error")
                    ? rm_str(r, "infra_error", "")
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

int report_markdown_write(const char *dir, const json_t *doc, char *err, size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/summary.md", dir);
    FILE *f = fopen(path, "w");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    totals(f, doc);
    failures(f, doc);
    parity(f, doc);
    regressions(f, json_object_get(doc, "compare"));
    fputs("Full report: `report.html` (artifact); machine-readable: `report.json`.\n", f);
    if (fclose(f) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}
