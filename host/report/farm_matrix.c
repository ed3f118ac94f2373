#include "farm_matrix.h"

#include <stdbool.h>
#include <string.h>

#include "html_util.h"
#include "report_model.h"

static const char *source_prefix(const json_t *line)
{
    return rm_str(json_object_get(line, "source"), "prefix", "");
}

const char *farm_host_of(const json_t *r, const json_t *records)
{
    const char *h = rm_str(json_object_get(r, "source"), "host", NULL);
    if (!h) {
        h = rm_str(r, "host", NULL);
    }
    size_t i;
    const json_t *rec;
    json_array_foreach(records, i, rec)
    {
        if (h) {
            break;
        }
        if (strcmp(rm_str(rec, "record", ""), "run-start") == 0 &&
            strcmp(source_prefix(rec), source_prefix(r)) == 0) {
            h = rm_str(rec, "host", NULL);
        }
    }
    return h && h[0] ? h : "-";
}

/* A sorted set as a JSON array: insertion keeps order, duplicates skipped. */
static void add_sorted(json_t *set, const char *s)
{
    size_t i, n = json_array_size(set);
    for (i = 0; i < n; i++) {
        int c = strcmp(json_string_value(json_array_get(set, i)), s);
        if (c == 0) {
            return;
        }
        if (c > 0) {
            break;
        }
    }
    json_array_insert_new(set, i, json_string(s));
}

json_t *farm_matrix(const json_t *results, const json_t *records)
{
    json_t *hosts = json_array(), *boards = json_array(), *groups = json_object();
    size_t i;
    const json_t *r;
    json_array_foreach(results, i, r)
    {
        const char *host = farm_host_of(r, records), *board = rm_str(r, "board", "-");
        add_sorted(hosts, host);
        add_sorted(boards, board);
        char key[1024];
        snprintf(key, sizeof key, "%s\n%s", host, board);
        json_t *g = json_object_get(groups, key);
        if (!g) {
            g = json_array();
            json_object_set_new(groups, key, g);
        }
        json_array_append(g, (json_t *)r);
    }
    json_t *cells = json_array();
    size_t h, b;
    json_t *hv, *bv;
    json_array_foreach(hosts, h, hv)
    {
        json_array_foreach(boards, b, bv)
        {
            char key[1024];
            snprintf(key, sizeof key, "%s\n%s", json_string_value(hv), json_string_value(bv));
            const json_t *g = json_object_get(groups, key);
            if (g) {
                json_array_append_new(cells, json_pack("{sO sO so}", "host", hv, "board", bv,
                                                       "totals", rm_totals(g)));
            }
        }
    }
    json_decref(groups);
    return json_pack("{so so so}", "hosts", hosts, "boards", boards, "cells", cells);
}

static const json_t *cell_of(const json_t *farm, const char *host, const char *board)
{
    size_t i;
    const json_t *c;
    json_array_foreach(json_object_get(farm, "cells"), i, c)
    {
        if (strcmp(rm_str(c, "host", ""), host) == 0 &&
            strcmp(rm_str(c, "board", ""), board) == 0) {
            return json_object_get(c, "totals");
        }
    }
    return NULL;
}

/* "12 of 14 met, 1 skipped, 2 not run"; "" for no results. */
static void cell_text(const json_t *t, char *out, size_t n)
{
    if (!t) {
        snprintf(out, n, "-");
        return;
    }
    int w = snprintf(out, n, "%.0f of %.0f met", rm_num(t, "met", 0), rm_num(t, "applicable", 0));
    static const struct {
        const char *key, *words;
    } extra[] = {{"infra_error", "infra-error"}, {"skipped", "skipped"}, {"not_run", "not run"}};
    for (size_t i = 0; i < 3 && w > 0 && (size_t)w < n; i++) {
        double v = rm_num(t, extra[i].key, 0);
        if (v > 0) {
            w += snprintf(out + w, n - (size_t)w, ", %.0f %s", v, extra[i].words);
        }
    }
}

static void md_cell(FILE *f, const char *s)
{
    for (; *s; s++) {
        fputc(*s == '|' ? '/' : (*s == '\n' || *s == '\r') ? ' ' : *s, f);
    }
}

void farm_matrix_markdown(FILE *f, const json_t *farm)
{
    const json_t *hosts = json_object_get(farm, "hosts"), *boards = json_object_get(farm, "boards");
    if (json_array_size(json_object_get(farm, "cells")) < 2) {
        return;
    }
    fprintf(f, "### Farm: %zu host(s) x %zu board(s)\n\n| host |", json_array_size(hosts),
            json_array_size(boards));
    size_t h, b;
    json_t *hv, *bv;
    json_array_foreach(boards, b, bv)
    {
        fputc(' ', f);
        md_cell(f, json_string_value(bv));
        fputs(" |", f);
    }
    fputs("\n|---|", f);
    for (b = 0; b < json_array_size(boards); b++) {
        fputs("---|", f);
    }
    fputc('\n', f);
    json_array_foreach(hosts, h, hv)
    {
        fputs("| ", f);
        md_cell(f, json_string_value(hv));
        fputs(" |", f);
        json_array_foreach(boards, b, bv)
        {
            char text[160];
            cell_text(cell_of(farm, json_string_value(hv), json_string_value(bv)), text,
                      sizeof text);
            fprintf(f, " %s |", text);
        }
        fputc('\n', f);
    }
    fputc('\n', f);
}

void farm_matrix_html(FILE *f, const json_t *farm)
{
    const json_t *hosts = json_object_get(farm, "hosts"), *boards = json_object_get(farm, "boards");
    if (json_array_size(json_object_get(farm, "cells")) < 2) {
        return;
    }
    fputs("<h2 id=farm>Farm: host &times; board</h2><table class=grid><tr><th>host</th>", f);
    size_t h, b;
    json_t *hv, *bv;
    json_array_foreach(boards, b, bv)
    {
        fputs("<th>", f);
        html_text(f, json_string_value(bv));
        fputs("</th>", f);
    }
    fputs("</tr>", f);
    json_array_foreach(hosts, h, hv)
    {
        fputs("<tr><th>", f);
        html_text(f, json_string_value(hv));
        fputs("</th>", f);
        json_array_foreach(boards, b, bv)
        {
            const json_t *t = cell_of(farm, json_string_value(hv), json_string_value(bv));
            char text[160];
            cell_text(t, text, sizeof text);
            bool green = t && rm_num(t, "unmet", 0) == 0 && rm_num(t, "not_run", 0) == 0;
            fprintf(f, "<td class=%s>", !t ? "skip" : green ? "met-pass" : "unmet");
            html_text(f, text);
            fputs("</td>", f);
        }
        fputs("</tr>", f);
    }
    fputs("</table>", f);
}
