/* The history part of report.html and summary.md (report_history.h): from DIR/history.json,
 * the snapshot of the run history written when the run was recorded (docs/history.md). */
#include "report_history.h"

#include <math.h>
#include <string.h>

#include "html_util.h"
#include "report_model.h"

static const struct {
    const char *metric, *title;
} k_charts[] = {{"duration_ms", "duration ms"},
                {"heap_peak", "heap peak B"},
                {"image_flash", "image flash B"},
                {"instructions", "instructions"}};
#define N_CHARTS (sizeof k_charts / sizeof k_charts[0])
#define CHART_W 150
#define CHART_H 36

/* A sparkline of one metric over the series' runs: oldest left, this run's point marked;
 * a dash when no run has the metric. */
static void sparkline(FILE *f, const json_t *points, const json_t *trend, const char *metric)
{
    size_t n = json_array_size(points), have = 0, i;
    double lo = INFINITY, hi = -INFINITY;
    const json_t *p;
    json_array_foreach(points, i, p)
    {
        const json_t *v = json_object_get(p, metric);
        if (json_is_number(v)) {
            lo = fmin(lo, json_number_value(v));
            hi = fmax(hi, json_number_value(v));
            have++;
        }
    }
    if (have == 0) {
        fputs("<td class=na>-</td>", f);
        return;
    }
    bool moved = json_is_true(json_object_get(trend, "moved"));
    fprintf(f, "<td><svg class=spark width=%d height=%d viewBox='0 0 %d %d' role=img>", CHART_W,
            CHART_H, CHART_W, CHART_H);
    fprintf(f,
            "<title>%s: %.6g .. %.6g over %zu run(s)%s</title><polyline fill=none "
            "stroke='#36c' stroke-width=1.5 points='",
            metric, lo, hi, have, moved ? " (moved)" : "");
    double span = hi > lo ? hi - lo : 1.0, lx = 0, ly = 0;
    json_array_foreach(points, i, p)
    {
        const json_t *v = json_object_get(p, metric);
        if (!json_is_number(v)) {
            continue;
        }
        lx = n > 1 ? 4.0 + (double)i * (CHART_W - 8.0) / (double)(n - 1) : CHART_W / 2.0;
        ly = CHART_H - 4.0 - (json_number_value(v) - lo) / span * (CHART_H - 8.0);
        fprintf(f, "%.1f,%.1f ", lx, ly);
    }
    fprintf(f, "'/><circle cx=%.1f cy=%.1f r=3 fill='%s'/></svg><br><small>%.6g%s</small></td>", lx,
            ly, moved ? "#c33" : "#36c", json_number_value(json_object_get(trend, "last")),
            moved ? " moved" : "");
}

void report_history_html(FILE *f, const json_t *history)
{
    if (!history) {
        return;
    }
    const json_t *series = json_object_get(history, "series");
    fputs("<h2>History</h2><p>", f);
    fprintf(f, "%zu scenario x backend series over the last %lld run(s) of ",
            json_array_size(series),
            (long long)json_integer_value(json_object_get(history, "last")));
    html_text(f, rm_str(history, "database", "?"));
    fputs(" (this run rightmost, red when a trend moved: docs/history.md).</p>"
          "<table class=history><tr><th>scenario</th><th>backend</th><th>runs</th>"
          "<th>flaky</th>",
          f);
    for (size_t c = 0; c < N_CHARTS; c++) {
        fprintf(f, "<th>%s</th>", k_charts[c].title);
    }
    fputs("</tr>", f);
    size_t i;
    const json_t *s;
    json_array_foreach(series, i, s)
    {
        double flake = rm_num(s, "flake_rate", 0);
        fputs("<tr><td>", f);
        html_text(f, rm_str(s, "scenario", "?"));
        fputs("</td><td>", f);
        html_text(f, rm_str(s, "backend", ""));
        fputs(" ", f);
        html_text(f, rm_str(s, "stack", ""));
        fprintf(f, "</td><td>%.0f</td><td class=%s>%.0f%%</td>", rm_num(s, "runs", 0),
                flake > 0 ? "flaky" : "steady", 100.0 * flake);
        const json_t *points = json_object_get(s, "points");
        for (size_t c = 0; c < N_CHARTS; c++) {
            sparkline(f, points, json_object_get(json_object_get(s, "trend"), k_charts[c].metric),
                      k_charts[c].metric);
        }
        fputs("</tr>", f);
    }
    fputs("</table>", f);
}

void report_history_markdown(FILE *f, const json_t *history)
{
    if (!history) {
        return;
    }
    size_t moved = 0, flaky = 0, i;
    const json_t *s, *series = json_object_get(history, "series");
    fputs("## History\n\n", f);
    json_array_foreach(series, i, s)
    {
        const char *metric;
        const json_t *t;
        json_object_foreach((json_t *)json_object_get(s, "trend"), metric, t)
        {
            if (json_is_true(json_object_get(t, "moved"))) {
                fprintf(f, "- `%s` %s %s: %s moved to %.6g (%+.1f%%, rule %s)\n",
                        rm_str(s, "scenario", "?"), rm_str(s, "backend", ""),
                        rm_str(s, "stack", ""), metric, rm_num(t, "last", 0),
                        rm_num(t, "change_pct", 0), rm_str(t, "rule", "?"));
                moved++;
            }
        }
        if (rm_num(s, "flake_rate", 0) > 0) {
            fprintf(f, "- `%s` %s %s: flaky, %.0f%% of consecutive outcomes changed\n",
                    rm_str(s, "scenario", "?"), rm_str(s, "backend", ""), rm_str(s, "stack", ""),
                    100.0 * rm_num(s, "flake_rate", 0));
            flaky++;
        }
    }
    if (moved == 0 && flaky == 0) {
        fprintf(f, "No trend moved and nothing flaky in %zu series over the last %lld run(s).\n",
                json_array_size(series), (long long)rm_num(history, "last", 0));
    }
    fputc('\n', f);
}
