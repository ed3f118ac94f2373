/* A stack comparison (stack_compare) as an HTML section, for report.html and upgrade.html:
 * one row per scenario x image, each stack's outcome, negotiated parameters, failure,
 * alerts, handshake time and heap peak side by side, what changed highlighted. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "html_util.h"
#include "report_model.h"
#include "stack_compare.h"

/* The CSS class of a row's class cell (report_html_style.h). */
static const char *class_css(const char *cls)
{
    if (strcmp(cls, SC_NEWLY_FAILING) == 0) {
        return "unmet";
    }
    if (strcmp(cls, SC_CHANGED) == 0) {
        return "infra";
    }
    if (strcmp(cls, SC_NEWLY_PASSING) == 0) {
        return "met-pass";
    }
    return strcmp(cls, SC_UNCHANGED) == 0 ? "met-fail" : "skip";
}

static bool changed(const json_t *row, const char *const *fields)
{
    size_t i;
    const json_t *c;
    json_array_foreach(json_object_get(row, "changes"), i, c)
    {
        for (const char *const *f = fields; *f; f++) {
            if (strcmp(json_string_value(c), *f) == 0) {
                return true;
            }
        }
    }
    return false;
}

static void open_td(FILE *f, bool highlight)
{
    fputs(highlight ? "<td class=chg>" : "<td>", f);
}

static void text_line(FILE *f, const json_t *s, const char *field, bool *first)
{
    const char *v = rm_str(s, field, NULL);
    if (v) {
        fputs(*first ? "" : "<br>", f);
        html_text(f, v);
        *first = false;
    }
}

/* One stack's six cells; highlight: the new side, where changes are marked. */
static void side_cells(FILE *f, const json_t *s, const json_t *row, bool highlight)
{
    static const char *const f_outcome[] = {"outcome", NULL};
    static const char *const f_negotiated[] = {"version", "suite", "group", NULL};
    static const char *const f_failure[] = {"verdict", "error", NULL};
    static const char *const f_alerts[] = {"alert_sent", "alert_received", NULL};
    if (!json_is_object(s)) {
        fputs("<td colspan=6 class=note>no result on this stack</td>", f);
        return;
    }
    const char *outcome = rm_str(s, "outcome", "?");
    bool ran = strcmp(outcome, "pass") == 0 || strcmp(outcome, "fail") == 0 ||
               strcmp(outcome, "mixed") == 0;
    open_td(f, highlight && changed(row, f_outcome));
    html_text(f, outcome);
    if (ran && !json_is_true(json_object_get(s, "met"))) {
        fputs(" <b class=bad>not as expected</b>", f);
    }
    const char *detail = rm_str(s, "detail", NULL);
    if (detail) {
        fputs("<span class=vd>", f);
        html_text(f, detail);
        fputs("</span>", f);
    }
    fputs("</td>", f);
    open_td(f, highlight && changed(row, f_negotiated));
    bool first = true;
    text_line(f, s, "version", &first);
    text_line(f, s, "suite", &first);
    if (!rm_str(s, "version", NULL) && rm_str(s, "group", NULL)) {
        fputs(first ? "" : "<br>", f);
        fputs("<span class=vd>server chose</span>", f); /* the handshake stopped after that */
        first = true;
    }
    text_line(f, s, "group", &first);
    fputs("</td>", f);
    open_td(f, highlight && changed(row, f_failure));
    if (strcmp(outcome, "pass") != 0) {
        first = true;
        text_line(f, s, "verdict", &first);
        const char *error = rm_str(s, "error", NULL);
        if (error) {
            double ret = rm_num(s, "mbedtls_ret", 0);
            fputs(first ? "<code>" : "<br><code>", f);
            html_text(f, error);
            fprintf(f, "</code> (-0x%04X)", (unsigned)(ret < 0 ? -ret : ret));
        }
    }
    fputs("</td>", f);
    open_td(f, highlight && changed(row, f_alerts));
    static const char *const alerts[][3] = {{"alert_sent", "alert_sent_name", "sent"},
                                            {"alert_received", "alert_received_name", "received"}};
    first = true;
    for (size_t k = 0; k < 2; k++) {
        if (rm_has_num(s, alerts[k][0])) {
            fprintf(f, "%s%s %.0f ", first ? "" : "<br>", alerts[k][2], rm_num(s, alerts[k][0], 0));
            html_text(f, rm_str(s, alerts[k][1], ""));
            first = false;
        }
    }
    fputs("</td>", f);
    if (rm_has_num(s, "handshake_us")) {
        fprintf(f, "<td class=num>%.1f</td>", rm_num(s, "handshake_us", 0) / 1000.0);
    } else {
        fputs("<td></td>", f);
    }
    if (rm_has_num(s, "heap_peak")) {
        fprintf(f, "<td class=num>%.0f</td>", rm_num(s, "heap_peak", 0));
    } else {
        fputs("<td></td>", f);
    }
}

static void notes(FILE *f, const json_t *row)
{
    fputs("<td>", f);
    size_t i;
    const json_t *c;
    json_array_foreach(json_object_get(row, "changes"), i, c)
    {
        fputs(i ? ", " : "changed: ", f);
        html_text(f, json_string_value(c));
    }
    if (json_is_true(json_object_get(row, "error_code_differs")) &&
        json_array_size(json_object_get(row, "changes")) == 0) {
        fputs("same verdict, different error code", f);
    }
    const char *why = rm_str(row, "regression_why", NULL);
    if (why) {
        fputs("<div class=bad>regression: ", f);
        html_text(f, why);
        fputs("</div>", f);
    }
    const char *known = rm_str(row, "known_why", NULL);
    if (known) {
        fputs("<div class=vd>expected on this stack: ", f);
        html_text(f, known);
        fputs("</div>", f);
    }
    fputs("</td>", f);
}

static void table_head(FILE *f, const json_t *sc)
{
    fputs("<table class='grid stacks'><tr><th rowspan=2>scenario</th><th rowspan=2>image</th>"
          "<th rowspan=2>class</th>",
          f);
    static const char *const sides[] = {"base_stack", "new_stack"};
    for (size_t k = 0; k < 2; k++) {
        fputs("<th colspan=6>", f);
        html_text(f, rm_str(sc, sides[k], "?"));
        fputs("</th>", f);
    }
    fputs("<th rowspan=2>notes</th></tr><tr>", f);
    for (size_t k = 0; k < 2; k++) {
        fputs("<th>outcome</th><th>negotiated</th><th>failure</th><th>alerts</th>"
              "<th>handshake ms</th><th>heap peak B</th>",
              f);
    }
    fputs("</tr>", f);
}

static void rows_of(FILE *f, const json_t *sc, bool unchanged)
{
    for (size_t c = 0; c < SC_CLASSES; c++) {
        const char *cls = stack_compare_classes[c];
        if ((strcmp(cls, SC_UNCHANGED) == 0) != unchanged) {
            continue;
        }
        size_t i;
        const json_t *row;
        json_array_foreach(json_object_get(sc, "rows"), i, row)
        {
            if (strcmp(rm_str(row, "class", ""), cls) != 0) {
                continue;
            }
            fputs("<tr><td>", f);
            html_text(f, rm_str(row, "scenario", "?"));
            fputs("</td><td>", f);
            html_text(f, rm_str(row, "backend", ""));
            fputs(" ", f);
            html_text(f, rm_str(row, "board", ""));
            fputs(" ", f);
            html_text(f, rm_str(row, "config", ""));
            fprintf(f, "</td><td class='c %s'>%s</td>", class_css(cls), cls);
            side_cells(f, json_object_get(row, "base"), row, false);
            side_cells(f, json_object_get(row, "new"), row, true);
            notes(f, row);
            fputs("</tr>", f);
        }
    }
}

void stack_compare_html(FILE *f, const json_t *sc)
{
    static const char *const sides[][2] = {{"base_stack", "base_versions"},
                                           {"new_stack", "new_versions"}};
    fputs("<section id=stacks><h2>Stacks side by side: ", f);
    for (size_t k = 0; k < 2; k++) {
        fputs(k ? " &rarr; " : "", f);
        html_text(f, rm_str(sc, sides[k][0], "?"));
        size_t i;
        const json_t *v;
        json_array_foreach(json_object_get(sc, sides[k][1]), i, v)
        {
            fputs(i ? ", " : " (", f);
            html_text(f, json_string_value(v));
        }
        fputs(json_array_size(json_object_get(sc, sides[k][1])) ? ")" : "", f);
    }
    fputs("</h2><div class=tot>", f);
    const json_t *counts = json_object_get(sc, "counts");
    for (size_t c = 0; c < SC_CLASSES; c++) {
        fprintf(f, "<div class=%s><b>%.0f</b>%s</div>", class_css(stack_compare_classes[c]),
                rm_num(counts, stack_compare_classes[c], 0), stack_compare_classes[c]);
    }
    fputs("</div>", f);
    size_t reg = (size_t)rm_num(sc, "regressions", 0);
    fprintf(f, "<div class=%s>", reg ? "alarm" : "good");
    if (reg) {
        fprintf(f, "<b>%zu regression(s)</b> for an upgrade", reg);
    } else {
        fputs("No regression for an upgrade", f);
    }
    fputs(" (a regression: not as expected on the new stack, as expected on the old one or not "
          "run there; or hw/sw parity lost).</div>",
          f);
    const json_t *heap = json_object_get(sc, "heap_peak_max");
    if (rm_has_num(heap, "base") && rm_has_num(heap, "new")) {
        fprintf(f, "<p>Largest heap peak: <b>%.0f B</b> &rarr; <b>%.0f B</b>.</p>",
                rm_num(heap, "base", 0), rm_num(heap, "new", 0));
    }
    size_t n_rows = json_array_size(json_object_get(sc, "rows"));
    size_t n_same = (size_t)rm_num(counts, SC_UNCHANGED, 0);
    table_head(f, sc);
    rows_of(f, sc, false);
    bool fold = n_rows > 24 && n_same > 0; /* what changed stays in view */
    if (fold) {
        fprintf(f, "</table><details><summary>%zu unchanged</summary>", n_same);
        table_head(f, sc);
    }
    rows_of(f, sc, true);
    fputs(fold ? "</table></details>" : "</table>", f);
    size_t i;
    const json_t *v;
    json_array_foreach(json_object_get(sc, "parity_changes"), i, v)
    {
        bool nm = json_is_true(json_object_get(v, "new_match"));
        fprintf(f, "%s<li>hw/sw parity %s: <code>", i ? "" : "<ul class=ev>",
                nm ? "restored" : "<b class=bad>lost</b>");
        html_text(f, rm_str(v, "scenario", "?"));
        fputs("</code> ", f);
        html_text(f, rm_str(v, "reason", ""));
        fputs("</li>", f);
    }
    fputs(json_array_size(json_object_get(sc, "parity_changes")) ? "</ul></section>" : "</section>",
          f);
}
