#include "report_charts.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "html_util.h"
#include "report_model.h"
#include "stacks.h"

#define CHART_W 980
#define LABEL_W 300
#define BAR_H 11

static const char *backend_color(const char *backend)
{
    return strcmp(backend, "hw") == 0   ? "#d9822b"
           : strcmp(backend, "sw") == 0 ? "#3b7dd8"
                                        : "#7a6cc4";
}

/* Horizontal grouped bars: rows x series, values[row * n_series + s],
 * NAN for no value. */
static void svg_hbars(FILE *f, const char *unit, const json_t *rows, const json_t *series,
                      const double *values)
{
    size_t nr = json_array_size(rows), ns = json_array_size(series);
    double max = 0;
    for (size_t i = 0; i < nr * ns; i++) {
        if (!isnan(values[i]) && values[i] > max) {
            max = values[i];
        }
    }
    size_t row_h = ns * (BAR_H + 2) + 8, legend_h = 22;
    size_t h = legend_h + nr * row_h + 4, plot_w = CHART_W - LABEL_W - 90;
    fprintf(f,
            "<svg class=chart xmlns='http://www.w3.org/2000/svg' width='%d' height='%zu' "
            "viewBox='0 0 %d %zu' role='img'>",
            CHART_W, h, CHART_W, h);
    for (size_t s = 0; s < ns; s++) {
        const char *name = json_string_value(json_array_get(series, s));
        fprintf(f, "<rect x='%zu' y='5' width='12' height='12' fill='%s'/>", LABEL_W + s * 90,
                backend_color(name));
        fprintf(f, "<text x='%zu' y='15' class=lg>", LABEL_W + s * 90 + 16);
        html_text(f, name);
        fputs("</text>", f);
    }
    fprintf(f, "<text x='%d' y='15' class=lg text-anchor='end'>%s</text>", CHART_W - 4, unit);
    for (size_t r = 0; r < nr; r++) {
        size_t y = legend_h + r * row_h;
        if (r % 2) {
            fprintf(f, "<rect x='0' y='%zu' width='%d' height='%zu' fill='#f4f6f8'/>", y, CHART_W,
                    row_h);
        }
        fprintf(f, "<text x='%d' y='%zu' class=lb text-anchor='end'>", LABEL_W - 8,
                y + row_h / 2 + 4);
        html_text(f, json_string_value(json_array_get(rows, r)));
        fputs("</text>", f);
        for (size_t s = 0; s < ns; s++) {
            double v = values[r * ns + s];
            if (isnan(v)) {
                continue;
            }
            double w = max > 0 ? v / max * (double)plot_w : 0;
            size_t by = y + 4 + s * (BAR_H + 2);
            fprintf(f, "<rect x='%d' y='%zu' width='%.1f' height='%d' fill='%s'/>", LABEL_W, by,
                    w < 1 ? 1 : w, BAR_H,
                    backend_color(json_string_value(json_array_get(series, s))));
            fprintf(f,
                    v >= 100 ? "<text x='%.1f' y='%zu' class=v>%.0f</text>"
                             : "<text x='%.1f' y='%zu' class=v>%.3g</text>",
                    LABEL_W + w + 4, by + BAR_H - 1, v);
        }
    }
    fputs("</svg>", f);
}

/* Backends in reading order: sw, hw, then any other. */
static json_t *backend_series(const json_t *results)
{
    json_t *all = rm_distinct(results, "backend"), *out = json_array();
    static const char *const first[] = {"sw", "hw"};
    for (size_t k = 0; k < 2; k++) {
        size_t i;
        json_t *v;
        json_array_foreach(all, i, v)
        {
            if (strcmp(json_string_value(v), first[k]) == 0) {
                json_array_append(out, v);
            }
        }
    }
    size_t i;
    json_t *v;
    json_array_foreach(all, i, v)
    {
        if (strcmp(json_string_value(v), "sw") != 0 && strcmp(json_string_value(v), "hw") != 0) {
            json_array_append(out, v);
        }
    }
    json_decref(all);
    return out;
}

static size_t index_of(const json_t *a, const char *s)
{
    size_t i;
    const json_t *v;
    json_array_foreach(a, i, v)
    {
        if (strcmp(json_string_value(v), s) == 0) {
            return i;
        }
    }
    json_array_append_new((json_t *)a, json_string(s));
    return json_array_size(a) - 1;
}

/* Median-free on purpose: the chart shows the first run of each pair; the
 * compare command handles repeats and noise. */
static void duration_chart(FILE *f, const json_t *results)
{
    json_t *rows = json_array(), *series = backend_series(results);
    size_t i, ns = json_array_size(series), cap = json_array_size(results) + 1;
    double *vals = malloc(cap * (ns ? ns : 1) * sizeof *vals);
    for (size_t k = 0; k < cap * (ns ? ns : 1); k++) {
        vals[k] = NAN;
    }
    const json_t *r;
    bool any = false;
    json_t *boards = rm_distinct(results, "board");
    bool multi_board = json_array_size(boards) > 1;
    json_decref(boards);
    json_array_foreach(results, i, r)
    {
        /* Infra errors and skips time the failure, not a handshake. */
        if (!rm_has_num(r, "duration_ms") || !(rm_is(r, "pass") || rm_is(r, "fail"))) {
            continue;
        }
        char label[300];
        const char *board = rm_str(r, "board", "");
        snprintf(label, sizeof label, "%.40s%s%.20s", rm_str(r, "scenario", "?"),
                 multi_board ? " @" : "", multi_board ? board : "");
        /* Only the backends of the series: a result without a string
         * backend must not grow it (the chart reads ns columns per row). */
        const char *backend = rm_str(r, "backend", NULL);
        size_t s = ns;
        for (size_t k = 0; backend && k < ns; k++) {
            s = strcmp(json_string_value(json_array_get(series, k)), backend) == 0 ? k : s;
        }
        if (s >= ns) {
            continue;
        }
        size_t row = index_of(rows, label);
        if (isnan(vals[row * ns + s])) {
            vals[row * ns + s] = rm_num(r, "duration_ms", 0);
            any = true;
        }
    }
    if (any) {
        /* Long runs keep the chart folded so the results stay in reach. */
        fprintf(
            f, "<details%s><summary><b>Scenario duration per backend</b> (%zu scenarios)</summary>",
            json_array_size(rows) <= 24 ? " open" : "", json_array_size(rows));
        svg_hbars(f, "ms", rows, series, vals);
        fputs("</details>", f);
    }
    free(vals);
    json_decref(rows);
    json_decref(series);
}

/* Sum of each primitive's time over the run, per backend. */
static void primitive_chart(FILE *f, const json_t *results)
{
    json_t *rows = json_array(), *series = backend_series(results);
    json_t *sums = json_object(); /* "prim|backend" -> [ns, ops] */
    size_t i;
    const json_t *r;
    json_array_foreach(results, i, r)
    {
        const char *name;
        const json_t *p;
        json_object_foreach((json_t *)json_object_get(r, "primitives"), name, p)
        {
            char key[256];
            snprintf(key, sizeof key, "%s|%s", name, rm_str(r, "backend", "?"));
            index_of(rows, name);
            json_t *acc = json_object_get(sums, key);
            double prev = acc ? json_number_value(acc) : 0;
            json_object_set_new(sums, key, json_real(prev + rm_num(p, "ns", 0) / 1000.0));
        }
    }
    size_t nr = json_array_size(rows), ns = json_array_size(series);
    if (nr == 0) {
        fputs("<p class=note>No per-primitive timing in this run (the results carry no "
              "<code>primitives</code>; they come with the hw backend comparison).</p>",
              f);
    } else {
        double *vals = malloc(nr * ns * sizeof *vals);
        for (size_t a = 0; a < nr; a++) {
            for (size_t s = 0; s < ns; s++) {
                char key[256];
                snprintf(key, sizeof key, "%s|%s", json_string_value(json_array_get(rows, a)),
                         json_string_value(json_array_get(series, s)));
                const json_t *v = json_object_get(sums, key);
                vals[a * ns + s] = v ? json_number_value(v) : NAN;
            }
        }
        fputs("<h3>Time per crypto primitive, whole run</h3>", f);
        svg_hbars(f, "&#181;s", rows, series, vals);
        free(vals);
    }
    json_decref(sums);
    json_decref(rows);
    json_decref(series);
}

static void parity_row(FILE *f, const json_t *row, bool match)
{
    fputs("<tr><td>", f);
    html_text(f, rm_str(row, "scenario", "?"));
    fputs("</td><td>", f);
    html_text(f, rm_str(row, "board", ""));
    const char *stack = rm_str(row, "stack", STACK_DEFAULT);
    if (strcmp(stack, STACK_DEFAULT) != 0) { /* two stacks: each pair within one */
        fputc(' ', f);
        html_text(f, stack);
    }
    fprintf(f, "</td><td class=%s>%s</td>", match ? "ok" : "bad", match ? "match" : "MISMATCH");
    double sw = rm_num(row, "sw_ms", NAN), hw = rm_num(row, "hw_ms", NAN);
    fprintf(f, "<td class=num>%.1f</td><td class=num>%.1f</td>", sw, hw);
    if (sw > 0 && !isnan(hw)) {
        fprintf(f, "<td class=num>%.2f</td>", hw / sw);
    } else {
        fputs("<td></td>", f);
    }
    fputs("<td>", f);
    html_text(f, rm_str(row, "reason", ""));
    fputs("</td></tr>", f);
}

static void parity_table(FILE *f, const json_t *doc)
{
    const json_t *p = json_object_get(doc, "parity");
    size_t pairs = (size_t)rm_num(p, "pairs", 0);
    if (pairs == 0) {
        fputs("<p class=note>No hw/sw pairs in this run: run with <code>--backend both</code> on a "
              "board with hardware crypto to compare backends.</p>",
              f);
        return;
    }
    fprintf(f, "<p><b>%.0f of %zu</b> scenarios behave the same on both backends.</p>",
            rm_num(p, "matched", 0), pairs);
    /* Mismatches always in view; the full table folded when long. */
    bool fold = pairs > 12;
    for (int pass = fold ? 0 : 1; pass < 2; pass++) {
        if (pass == 1 && fold) {
            fprintf(f, "<details><summary>all %zu pairs</summary>", pairs);
        }
        fputs("<table class=grid><tr><th>scenario</th><th>board</th><th>parity</th><th>sw ms</th>"
              "<th>hw ms</th><th>hw/sw</th><th>why</th></tr>",
              f);
        size_t i;
        const json_t *row;
        json_array_foreach(json_object_get(p, "rows"), i, row)
        {
            bool match = json_is_true(json_object_get(row, "match"));
            if (pass == 0 && match) {
                continue;
            }
            parity_row(f, row, match);
        }
        fputs("</table>", f);
        if (pass == 1 && fold) {
            fputs("</details>", f);
        }
    }
}

void report_charts_html(FILE *f, const json_t *doc, const json_t *results)
{
    fputs("<section id=parity><h2>Hardware vs software crypto</h2>", f);
    parity_table(f, doc);
    primitive_chart(f, results);
    duration_chart(f, results);
    fputs("</section>", f);
}
