/* A stack comparison (stack_compare) for the terminal and for Markdown (summary.md,
 * upgrade.md): the class counts, then every row, the two stacks side by side, rows that
 * need a look first. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "report_model.h"
#include "stack_compare.h"

/* "2.28.3" or "2.28.3, 2.28.4" after the stack's name, nothing when unknown. */
static void stack_title(char *buf, size_t n, const json_t *sc, const char *side)
{
    char field[32];
    snprintf(field, sizeof field, "%s_stack", side);
    int used = snprintf(buf, n, "%s", rm_str(sc, field, "?"));
    snprintf(field, sizeof field, "%s_versions", side);
    size_t i;
    const json_t *v;
    json_array_foreach(json_object_get(sc, field), i, v)
    {
        if (used < 0 || (size_t)used >= n) {
            return;
        }
        used +=
            snprintf(buf + used, n - (size_t)used, "%s%s", i ? ", " : " (", json_string_value(v));
    }
    if (json_array_size(json_object_get(sc, field)) && used >= 0 && (size_t)used < n) {
        snprintf(buf + used, n - (size_t)used, ")");
    }
}

/* A printf into buf at *used, never past n. */
__attribute__((format(printf, 4, 5))) static void put(char *buf, size_t n, size_t *used,
                                                      const char *fmt, ...)
{
    if (*used >= n) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(buf + *used, n - *used, fmt, ap);
    va_end(ap);
    *used = w < 0 ? n : *used + (size_t)w;
}

/* One stack's side in a line: "pass TLSv1.2 TLS-ECDHE-... x25519; 3.1 ms; heap 44576 B" or
 * "fail hostname-not-set, MBEDTLS_ERR_... (-0x5D80), alert sent 42 bad_certificate". */
static void side_text(char *buf, size_t n, const json_t *s)
{
    size_t used = 0;
    buf[0] = '\0';
    if (!json_is_object(s)) {
        put(buf, n, &used, "%s", "no result on this stack");
        return;
    }
    const char *outcome = rm_str(s, "outcome", "?");
    put(buf, n, &used, "%s", outcome);
    bool ran = strcmp(outcome, "pass") == 0 || strcmp(outcome, "fail") == 0 ||
               strcmp(outcome, "mixed") == 0;
    if (ran && !json_is_true(json_object_get(s, "met"))) {
        put(buf, n, &used, "%s", " (NOT AS EXPECTED)");
    }
    static const char *const negotiated[] = {"version", "suite"};
    for (size_t k = 0; k < 2; k++) {
        const char *v = rm_str(s, negotiated[k], NULL);
        if (v) {
            put(buf, n, &used, " %s", v);
        }
    }
    const char *group = rm_str(s, "group", NULL);
    if (group) { /* a handshake that failed has the group the server chose, if it got that far */
        put(buf, n, &used, "%s%s%s", rm_str(s, "version", NULL) ? " " : " (server chose ", group,
            rm_str(s, "version", NULL) ? "" : ")");
    }
    if (strcmp(outcome, "pass") != 0) {
        const char *verdict = rm_str(s, "verdict", NULL);
        if (verdict) {
            put(buf, n, &used, " %s", verdict);
        }
        const char *error = rm_str(s, "error", NULL);
        if (error) {
            put(buf, n, &used, ", %s", error);
            double ret = rm_num(s, "mbedtls_ret", 0);
            char hex[24];
            snprintf(hex, sizeof hex, " (-0x%04X)", (unsigned)(ret < 0 ? -ret : ret));
            put(buf, n, &used, "%s", hex);
        }
    }
    static const char *const alerts[][3] = {{"alert_sent", "alert_sent_name", "sent"},
                                            {"alert_received", "alert_received_name", "received"}};
    for (size_t k = 0; k < 2; k++) {
        if (rm_has_num(s, alerts[k][0])) {
            put(buf, n, &used, ", alert %s", alerts[k][2]);
            put(buf, n, &used, " %.0f", rm_num(s, alerts[k][0], 0));
            const char *name = rm_str(s, alerts[k][1], NULL);
            if (name) {
                put(buf, n, &used, " %s", name);
            }
        }
    }
    if (rm_has_num(s, "handshake_us")) {
        put(buf, n, &used, "; %.1f ms", rm_num(s, "handshake_us", 0) / 1000.0);
    }
    if (rm_has_num(s, "heap_peak")) {
        put(buf, n, &used, "; heap %.0f B", rm_num(s, "heap_peak", 0));
    }
    const char *detail = rm_str(s, "detail", NULL);
    if (detail) {
        put(buf, n, &used, " - %s", detail);
    }
}

/* "outcome, version" and the notes that qualify a row. */
static void notes_text(char *buf, size_t n, const json_t *row)
{
    size_t used = 0, i;
    const json_t *c;
    buf[0] = '\0';
    json_array_foreach(json_object_get(row, "changes"), i, c)
    {
        put(buf, n, &used, "%s%s", i ? ", " : "changed: ", json_string_value(c));
    }
    if (json_is_true(json_object_get(row, "error_code_differs")) &&
        json_array_size(json_object_get(row, "changes")) == 0) {
        put(buf, n, &used, "%s", "same verdict, different error code");
    }
    const char *why = rm_str(row, "regression_why", NULL);
    if (why) {
        put(buf, n, &used, "%sREGRESSION: %s", used ? "; " : "", why);
    }
    const char *known = rm_str(row, "known_why", NULL);
    if (known && !why) {
        put(buf, n, &used, "%sexpected on this stack: %s", used ? "; " : "", known);
    }
}

static void image_text(char *buf, size_t n, const json_t *row)
{
    const char *board = rm_str(row, "board", ""), *config = rm_str(row, "config", "");
    snprintf(buf, n, "%s%s%s%s%s", rm_str(row, "backend", "?"), board[0] ? " " : "", board,
             config[0] ? " " : "", config);
}

static void counts_line(FILE *out, const json_t *sc, const char *sep)
{
    const json_t *counts = json_object_get(sc, "counts");
    for (size_t c = 0; c < SC_CLASSES; c++) {
        fprintf(out, "%s%s %.0f", c ? sep : "", stack_compare_classes[c],
                rm_num(counts, stack_compare_classes[c], 0));
    }
}

void stack_compare_print(FILE *out, const json_t *sc)
{
    char base[160], cur[160];
    stack_title(base, sizeof base, sc, "base");
    stack_title(cur, sizeof cur, sc, "new");
    const json_t *rows = json_object_get(sc, "rows");
    fprintf(out, "upgrade %s -> %s: %zu result key(s)\n  ", base, cur, json_array_size(rows));
    counts_line(out, sc, ", ");
    fputc('\n', out);
    size_t width = strlen(rm_str(sc, "base_stack", "")) > strlen(rm_str(sc, "new_stack", ""))
                       ? strlen(rm_str(sc, "base_stack", ""))
                       : strlen(rm_str(sc, "new_stack", ""));
    for (size_t c = 0; c < SC_CLASSES; c++) {
        const char *cls = stack_compare_classes[c];
        size_t n = (size_t)rm_num(json_object_get(sc, "counts"), cls, 0);
        if (n == 0) {
            continue;
        }
        fprintf(out, "%s (%zu):\n", cls, n);
        size_t i;
        const json_t *row;
        json_array_foreach(rows, i, row)
        {
            if (strcmp(rm_str(row, "class", ""), cls) != 0) {
                continue;
            }
            char image[256], notes[1400], side[1200];
            image_text(image, sizeof image, row);
            notes_text(notes, sizeof notes, row);
            fprintf(out, "  %s [%s]%s%s\n", rm_str(row, "scenario", "?"), image,
                    notes[0] ? " " : "", notes);
            side_text(side, sizeof side, json_object_get(row, "base"));
            fprintf(out, "    %-*s  %s\n", (int)width, rm_str(sc, "base_stack", "?"), side);
            side_text(side, sizeof side, json_object_get(row, "new"));
            fprintf(out, "    %-*s  %s\n", (int)width, rm_str(sc, "new_stack", "?"), side);
        }
    }
    size_t i;
    const json_t *v;
    json_array_foreach(json_object_get(sc, "parity_changes"), i, v)
    {
        bool nm = json_is_true(json_object_get(v, "new_match"));
        fprintf(out, "%s %s (%s %s) on %s%s%s\n",
                nm ? "hw/sw parity restored:" : "PARITY LOST:", rm_str(v, "scenario", "?"),
                rm_str(v, "board", ""), rm_str(v, "config", ""), rm_str(sc, "new_stack", "?"),
                nm ? "" : " - ", nm ? "" : rm_str(v, "reason", ""));
    }
    const json_t *heap = json_object_get(sc, "heap_peak_max");
    if (rm_has_num(heap, "base") && rm_has_num(heap, "new")) {
        fprintf(out, "largest heap peak: %.0f B on %s, %.0f B on %s\n", rm_num(heap, "base", 0),
                rm_str(sc, "base_stack", "?"), rm_num(heap, "new", 0),
                rm_str(sc, "new_stack", "?"));
    }
    size_t reg = (size_t)rm_num(sc, "regressions", 0);
    if (reg) {
        fprintf(out, "REGRESSION: %zu regression(s) on %s against %s\n", reg,
                rm_str(sc, "new_stack", "?"), rm_str(sc, "base_stack", "?"));
    } else {
        fprintf(out, "no regression on %s against %s\n", rm_str(sc, "new_stack", "?"),
                rm_str(sc, "base_stack", "?"));
    }
}

/* A table cell: no pipes or line breaks, bounded length. */
static void md_cell(FILE *f, const char *s)
{
    size_t n = 0;
    for (; *s && n < 400; s++, n++) {
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

#define MD_MAX_ROWS 300 /* a CI job summary has a size limit; report.html has them all */

void stack_compare_markdown(FILE *f, const json_t *sc)
{
    char base[160], cur[160];
    stack_title(base, sizeof base, sc, "base");
    stack_title(cur, sizeof cur, sc, "new");
    fputs("### Stacks side by side: ", f);
    md_cell(f, base);
    fputs(" &rarr; ", f);
    md_cell(f, cur);
    fputs("\n\n", f);
    counts_line(f, sc, " &middot; ");
    size_t reg = (size_t)rm_num(sc, "regressions", 0);
    fprintf(f, "%s\n\n", reg ? " &middot; **regression for an upgrade**" : "");
    fputs("| scenario | image | class | ", f);
    md_cell(f, rm_str(sc, "base_stack", "?"));
    fputs(" | ", f);
    md_cell(f, rm_str(sc, "new_stack", "?"));
    fputs(" | notes |\n|---|---|---|---|---|---|\n", f);
    size_t shown = 0, total = json_array_size(json_object_get(sc, "rows"));
    for (size_t c = 0; c < SC_CLASSES; c++) {
        size_t i;
        const json_t *row;
        json_array_foreach(json_object_get(sc, "rows"), i, row)
        {
            if (strcmp(rm_str(row, "class", ""), stack_compare_classes[c]) != 0 ||
                shown++ >= MD_MAX_ROWS) {
                continue;
            }
            char image[256], notes[1400], side[1200];
            image_text(image, sizeof image, row);
            notes_text(notes, sizeof notes, row);
            fputs("| ", f);
            md_cell(f, rm_str(row, "scenario", "?"));
            fputs(" | ", f);
            md_cell(f, image);
            fprintf(f, " | %s | ", stack_compare_classes[c]);
            side_text(side, sizeof side, json_object_get(row, "base"));
            md_cell(f, side);
            fputs(" | ", f);
            side_text(side, sizeof side, json_object_get(row, "new"));
            md_cell(f, side);
            fputs(" | ", f);
            md_cell(f, notes);
            fputs(" |\n", f);
        }
    }
    if (total > MD_MAX_ROWS) {
        fprintf(f, "| ... | | | | | %zu more rows in report.html |\n", total - MD_MAX_ROWS);
    }
    size_t i;
    const json_t *v;
    json_array_foreach(json_object_get(sc, "parity_changes"), i, v)
    {
        fprintf(f, "%s- hw/sw parity %s on `", i ? "" : "\n",
                json_is_true(json_object_get(v, "new_match")) ? "restored" : "**lost**");
        md_cell(f, rm_str(sc, "new_stack", "?"));
        fputs("`: `", f);
        md_cell(f, rm_str(v, "scenario", "?"));
        fputs("`\n", f);
    }
    fputs("\n", f);
}
