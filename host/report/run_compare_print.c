/* A comparison (compare_results) for people: the terminal summary, and the
 * table of which fields were compared by which rule for summary.md and
 * report.html. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "html_util.h"
#include "report_model.h"
#include "run_compare.h"

static void print_list(FILE *out, const json_t *cmp, const char *field, const char *title)
{
    const json_t *a = json_object_get(cmp, field);
    if (json_array_size(a) == 0) {
        return;
    }
    fprintf(out, "%s (%zu):\n", title, json_array_size(a));
    size_t i;
    const json_t *v;
    json_array_foreach(a, i, v)
    {
        if (json_is_string(v)) {
            fprintf(out, "  %s\n", json_string_value(v));
            continue;
        }
        const char *verdict = rm_str(v, "verdict", "");
        const char *d = rm_str(v, "detail", "");
        fprintf(out, "  %s: %s%s%s%s%s\n", rm_str(v, "key", "?"), rm_str(v, "outcome", "?"),
                verdict[0] ? ", verdict " : "", verdict, d[0] ? " - " : "", d);
    }
}

/* "within 2%", "exact", "median x1.25 and +2 ms, >= 3 samples a side". */
static void rule_condition(const json_t *r, char *buf, size_t n)
{
    const char *rule = rm_str(r, "rule", "?");
    if (strcmp(rule, "tolerance") == 0) {
        snprintf(buf, n, "medians within %g%%", rm_num(r, "tolerance_pct", 0));
    } else if (strcmp(rule, "median") == 0) {
        snprintf(buf, n, "medians beyond x%.2f and +%g ms, >= %.0f samples a side",
                 rm_num(r, "time_ratio", 0), rm_num(r, "time_min_us", 0) / 1000.0,
                 rm_num(r, "min_samples", 0));
    } else if (strcmp(rule, "history") == 0) {
        snprintf(buf, n,
                 "beyond the last %.0f comparable runs' median by max(%.0f spreads, %.0f%%, "
                 "%g ms), >= %.0f earlier runs and %.0f samples",
                 rm_num(r, "window", 0), rm_num(r, "spread_k", 0), rm_num(r, "rel_floor_pct", 0),
                 rm_num(r, "time_min_us", 0) / 1000.0, rm_num(r, "min_history", 0),
                 rm_num(r, "min_samples", 0));
    } else {
        snprintf(buf, n, "%s", strcmp(rule, "exact") == 0 ? "exact (same TEST ONLY seed)" : rule);
    }
}

static void rule_fields(const json_t *r, char *buf, size_t n)
{
    size_t used = 0, i;
    const json_t *f;
    buf[0] = '\0';
    json_array_foreach(json_object_get(r, "fields"), i, f)
    {
        int w = snprintf(buf + used, n - used, "%s%s", i ? " " : "", json_string_value(f));
        if (w < 0 || (size_t)w >= n - used) {
            break; /* the list is cut, the counts below still say it all */
        }
        used += (size_t)w;
    }
}

static void print_rules(FILE *out, const json_t *cmp)
{
    const json_t *rules = json_object_get(cmp, "rules");
    if (json_array_size(rules) == 0) {
        return;
    }
    fprintf(out, "compared:\n");
    size_t i;
    const json_t *r;
    json_array_foreach(rules, i, r)
    {
        char cond[160], fields[1024];
        rule_condition(r, cond, sizeof cond);
        rule_fields(r, fields, sizeof fields);
        fprintf(out, "  %s: %s; %.0f compared, %.0f differ", fields, cond, rm_num(r, "compared", 0),
                rm_num(r, "differ", 0));
        if (rm_num(r, "skipped", 0) > 0) {
            fprintf(out, ", %.0f not compared (too few samples: tlsrig run --repeat)",
                    rm_num(r, "skipped", 0));
        }
        fputc('\n', out);
    }
}

void compare_rules_markdown(FILE *f, const json_t *cmp)
{
    const json_t *rules = json_object_get(cmp, "rules");
    if (json_array_size(rules) == 0) {
        return;
    }
    fputs("\n| fields | compared how | compared | differ | not compared |\n"
          "|---|---|---|---|---|\n",
          f);
    size_t i;
    const json_t *r;
    json_array_foreach(rules, i, r)
    {
        char cond[160], fields[1024];
        rule_condition(r, cond, sizeof cond);
        rule_fields(r, fields, sizeof fields);
        fprintf(f, "| `%s` | %s | %.0f | %.0f | %.0f |\n", fields, cond, rm_num(r, "compared", 0),
                rm_num(r, "differ", 0), rm_num(r, "skipped", 0));
    }
    fputc('\n', f);
}

void compare_rules_html(FILE *f, const json_t *cmp)
{
    const json_t *rules = json_object_get(cmp, "rules");
    if (json_array_size(rules) == 0) {
        return;
    }
    fputs("<h3>How fields were compared</h3><table><tr><th>fields</th><th>compared how</th>"
          "<th>compared</th><th>differ</th><th>not compared</th></tr>",
          f);
    size_t i;
    const json_t *r;
    json_array_foreach(rules, i, r)
    {
        char cond[160], fields[1024];
        rule_condition(r, cond, sizeof cond);
        rule_fields(r, fields, sizeof fields);
        fputs("<tr><td><code>", f);
        html_text(f, fields);
        fputs("</code></td><td>", f);
        html_text(f, cond);
        fprintf(f, "</td><td>%.0f</td><td>%.0f</td><td>%.0f</td></tr>", rm_num(r, "compared", 0),
                rm_num(r, "differ", 0), rm_num(r, "skipped", 0));
    }
    fputs("</table>", f);
}

void compare_print(FILE *out, const json_t *cmp)
{
    print_list(out, cmp, "new_failures", "NEW FAILURES");
    print_list(out, cmp, "fixed", "fixed");
    print_list(out, cmp, "still_failing", "still failing");
    print_list(out, cmp, "infra_errors", "infrastructure errors (not compared)");
    print_list(out, cmp, "missing", "missing from the new run");
    print_list(out, cmp, "added", "new in this run");
    size_t i;
    const json_t *v;
    json_array_foreach(json_object_get(cmp, "parity_changes"), i, v)
    {
        bool nm = json_is_true(json_object_get(v, "new_match"));
        fprintf(out, "%s %s (%s)%s%s\n",
                nm ? "hw/sw parity restored:" : "PARITY LOST:", rm_str(v, "scenario", "?"),
                rm_str(v, "board", ""), nm ? "" : " - ", nm ? "" : rm_str(v, "reason", ""));
    }
    json_array_foreach(json_object_get(cmp, "counters"), i, v)
    {
        fprintf(out, "%s %s %s: %.0f -> %.0f (%s)\n",
                json_is_true(json_object_get(v, "regression")) ? "COUNTER UP" : "counter down",
                rm_str(v, "key", "?"), rm_str(v, "metric", "?"), rm_num(v, "base", 0),
                rm_num(v, "new", 0), rm_str(v, "rule", "exact"));
    }
    json_array_foreach(json_object_get(cmp, "timing"), i, v)
    {
        fprintf(out, "%s %s %s: median %.0f us -> %.0f us (x%.2f, %.0f/%.0f samples)\n",
                json_is_true(json_object_get(v, "regression")) ? "SLOWER" : "faster",
                rm_str(v, "key", "?"), rm_str(v, "metric", "?"), rm_num(v, "base_median", 0),
                rm_num(v, "new_median", 0), rm_num(v, "ratio", 0), rm_num(v, "base_samples", 0),
                rm_num(v, "new_samples", 0));
    }
    print_rules(out, cmp);
    size_t reg = (size_t)rm_num(cmp, "regressions", 0);
    if (reg) {
        fprintf(out, "REGRESSION: %zu regression(s) against the baseline\n", reg);
    } else {
        fprintf(out, "no regression against the baseline\n");
    }
}
