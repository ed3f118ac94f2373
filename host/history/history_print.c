/* `tlsrig history` as a table or CSV (history_query.h). */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "history_query.h"

static char outcome_letter(const char *o)
{
    static const struct {
        const char *name;
        char letter;
    } k[] = {
        {"pass", 'P'}, {"fail", 'F'}, {"skipped", 'S'}, {"not-run", 'N'}, {"infra-error", 'I'}};
    for (size_t i = 0; o && i < sizeof k / sizeof k[0]; i++) {
        if (strcmp(o, k[i].name) == 0) {
            return k[i].letter;
        }
    }
    return '?';
}

/* Oldest first, one letter per result, at most the last 24 shown. */
static void outcome_letters(const json_t *outcomes, char *out, size_t cap)
{
    size_t n = json_array_size(outcomes), from = n > 24 ? n - 24 : 0, used = 0;
    for (size_t i = from; i < n && used + 1 < cap; i++) {
        out[used++] = outcome_letter(json_string_value(json_array_get(outcomes, i)));
    }
    out[used] = '\0';
}

static const json_t *trend(const json_t *s, const char *metric)
{
    return json_object_get(json_object_get(s, "trend"), metric);
}

/* "12.3 (+4.1%*)": the last value, its change, '*' when the rule says it moved. */
static void trend_cell(const json_t *t, char *out, size_t cap)
{
    if (!t) {
        snprintf(out, cap, "-");
        return;
    }
    const json_t *change = json_object_get(t, "change_pct");
    if (!json_is_number(change)) {
        snprintf(out, cap, "%.6g (n/a)", json_number_value(json_object_get(t, "last")));
        return;
    }
    snprintf(out, cap, "%.6g (%+.1f%%%s)", json_number_value(json_object_get(t, "last")),
             json_number_value(change), json_is_true(json_object_get(t, "moved")) ? "*" : "");
}

void history_print_table(FILE *out, const json_t *q)
{
    const json_t *series = json_object_get(q, "series");
    fprintf(out, "history %s: %lld run(s), %zu series, last %lld run(s) each\n",
            json_string_value(json_object_get(q, "database")),
            (long long)json_integer_value(json_object_get(q, "runs")), json_array_size(series),
            (long long)json_integer_value(json_object_get(q, "last")));
    fprintf(out, "%-40s %-3s %-13s %-9s %-12s %4s %-24s %6s  %-20s %-20s %-20s %s\n", "scenario",
            "be", "stack", "board", "config", "runs", "outcomes (old->new)", "flake", "duration_ms",
            "heap_peak", "image_flash", "instructions");
    size_t i;
    const json_t *s;
    json_array_foreach(series, i, s)
    {
        char letters[32], d[48], hp[48], img[48], ins[48];
        outcome_letters(json_object_get(s, "outcomes"), letters, sizeof letters);
        trend_cell(trend(s, "duration_ms"), d, sizeof d);
        trend_cell(trend(s, "heap_peak"), hp, sizeof hp);
        trend_cell(trend(s, "image_flash"), img, sizeof img);
        trend_cell(trend(s, "instructions"), ins, sizeof ins);
        fprintf(out, "%-40s %-3s %-13s %-9s %-12s %4lld %-24s %5.0f%%  %-20s %-20s %-20s %s\n",
                json_string_value(json_object_get(s, "scenario")),
                json_string_value(json_object_get(s, "backend")),
                json_string_value(json_object_get(s, "stack")),
                json_string_value(json_object_get(s, "board")),
                json_string_value(json_object_get(s, "config")),
                (long long)json_integer_value(json_object_get(s, "runs")), letters,
                100.0 * json_number_value(json_object_get(s, "flake_rate")), d, hp, img, ins);
    }
    fprintf(out, "outcomes: P pass, F fail, S skipped, N not-run, I infra-error; "
                 "* = moved (docs/history.md)\n");
}

/* RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
static void csv_field(FILE *out, const char *s, int last)
{
    s = s ? s : "";
    if (strpbrk(s, ",\"\r\n")) {
        fputc('"', out);
        for (; *s; s++) {
            if (*s == '"') {
                fputc('"', out);
            }
            fputc(*s, out);
        }
        fputc('"', out);
    } else {
        fputs(s, out);
    }
    fputc(last ? '\n' : ',', out);
}

static void csv_number(FILE *out, const json_t *v, int last)
{
    char buf[48] = "";
    if (json_is_number(v)) {
        snprintf(buf, sizeof buf, "%.10g", json_number_value(v));
    }
    csv_field(out, buf, last);
}

void history_print_csv(FILE *out, const json_t *q)
{
    static const char *const metrics[] = {"duration_ms", "instructions", "heap_peak",
                                          "image_flash"};
    fputs("scenario,backend,stack,board,config,runs,outcomes,flake_rate", out);
    for (size_t m = 0; m < 4; m++) {
        fprintf(out, ",%s_last,%s_median,%s_change_pct,%s_moved", metrics[m], metrics[m],
                metrics[m], metrics[m]);
    }
    fputc('\n', out);
    size_t i;
    const json_t *s;
    json_array_foreach(json_object_get(q, "series"), i, s)
    {
        static const char *const keys[] = {"scenario", "backend", "stack", "board", "config"};
        for (size_t k = 0; k < 5; k++) {
            csv_field(out, json_string_value(json_object_get(s, keys[k])), 0);
        }
        csv_number(out, json_object_get(s, "runs"), 0);
        char letters[32];
        outcome_letters(json_object_get(s, "outcomes"), letters, sizeof letters);
        csv_field(out, letters, 0);
        csv_number(out, json_object_get(s, "flake_rate"), 0);
        for (size_t m = 0; m < 4; m++) {
            const json_t *t = trend(s, metrics[m]);
            csv_number(out, json_object_get(t, "last"), 0);
            csv_number(out, json_object_get(t, "median"), 0);
            csv_number(out, json_object_get(t, "change_pct"), 0);
            csv_field(out, t ? (json_is_true(json_object_get(t, "moved")) ? "1" : "0") : "",
                      m == 3);
        }
    }
}
