#define _POSIX_C_SOURCE 200809L
#include "report_html_result.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "html_util.h"
#include "report_model.h"

/* The CSS class and short label of a result's cell. */
const char *report_html_cell_class(const json_t *r)
{
    if (rm_is(r, "skipped")) {
        return "skip";
    }
    if (rm_is(r, "infra-error") || rm_is(r, "not-run")) {
        return "infra";
    }
    if (!rm_met(r)) {
        return "unmet";
    }
    return rm_is(r, "pass") ? "met-pass" : "met-fail";
}

const char *report_html_cell_label(const json_t *r)
{
    if (rm_is(r, "infra-error")) {
        return "infra error";
    }
    if (rm_is(r, "not-run")) {
        return "NOT RUN";
    }
    if (rm_is(r, "skipped")) {
        return "skipped";
    }
    if (rm_met(r)) {
        return rm_is(r, "pass") ? "pass" : "fails as expected";
    }
    return rm_is(r, "pass") ? "UNEXPECTED pass" : "FAIL";
}

static void fact(FILE *f, const char *name, const char *value)
{
    if (value && value[0]) {
        fprintf(f, "<tr><th>%s</th><td>", name);
        html_text(f, value);
        fputs("</td></tr>", f);
    }
}

static void facts(FILE *f, const json_t *r)
{
    char buf[256];
    fputs("<h3>Connection</h3><table class=kv>", f);
    fact(f, "version", rm_str(r, "version", ""));
    fact(f, "suite", rm_str(r, "suite", ""));
    if (rm_has_num(r, "mbedtls_ret")) {
        double ret = rm_num(r, "mbedtls_ret", 0);
        snprintf(buf, sizeof buf, "%s-0x%04X %s %s", ret < 0 ? "" : "+", (unsigned)fabs(ret),
                 rm_str(r, "mbedtls_error", ""), rm_str(r, "mbedtls_error_text", ""));
        fact(f, "mbedTLS error", buf);
    }
    static const char *const nums[] = {"alert_received", "alert_sent",         "handshake_steps",
                                       "bytes_in",       "bytes_out",          "heap_peak",
                                       "attempts",       "target_duration_us", "duration_ms",
                                       "verify_flags",   "instructions",       "stack_peak"};
    for (size_t k = 0; k < sizeof nums / sizeof nums[0]; k++) {
        if (rm_has_num(r, nums[k])) {
            snprintf(buf, sizeof buf, "%.6g", rm_num(r, nums[k], 0));
            fact(f, nums[k], buf);
        }
    }
    /* Image memory (cross builds): field failures are often memory failures. */
    const json_t *size = json_object_get(r, "image_size");
    if (json_is_object(size)) {
        const char *k;
        const json_t *v;
        json_object_foreach((json_t *)size, k, v)
        {
            if (json_is_number(v)) {
                char key[96];
                snprintf(key, sizeof key, "image %s", k);
                snprintf(buf, sizeof buf, "%.0f", json_number_value(v));
                fact(f, key, buf);
            }
        }
    }
    fact(f, "peer cert", rm_str(r, "peer_cert", ""));
    fact(f, "config", rm_str(r, "config", ""));
    fact(f, "profile", rm_str(r, "profile", ""));
    fact(f, "kind", rm_str(r, "kind", ""));
    fact(f, "run id", rm_str(r, "run_id", ""));
    fact(f, "skip reason", rm_str(r, "skip_reason", ""));
    fputs("</table>", f);
    const json_t *states = json_object_get(r, "state_us");
    if (json_object_size(states) > 0) {
        double max = 0;
        const char *k;
        const json_t *v;
        json_object_foreach((json_t *)states, k, v)
        {
            max = fmax(max, json_number_value(v));
        }
        fputs("<h3>Time per handshake state (&#181;s)</h3><table class=kv>", f);
        json_object_foreach((json_t *)states, k, v)
        {
            fputs("<tr><th>", f);
            html_text(f, k);
            fprintf(f, "</th><td><span class=sbar style='width:%.0fpx'></span> %.0f</td></tr>",
                    max > 0 ? 1 + json_number_value(v) / max * 220 : 1, json_number_value(v));
        }
        fputs("</table>", f);
    }
}

static void primitives(FILE *f, const json_t *p)
{
    if (json_object_size(p) == 0) {
        return;
    }
    fputs("<h3>Crypto primitives</h3><table class=grid><tr><th>primitive</th><th>ops</th>"
          "<th>bytes</th><th>&#181;s</th></tr>",
          f);
    const char *name;
    const json_t *v;
    json_object_foreach((json_t *)p, name, v)
    {
        fputs("<tr><td>", f);
        html_text(f, name);
        fprintf(f,
                "</td><td class=num>%.0f</td><td class=num>%.0f</td><td class=num>%.1f</td></tr>",
                rm_num(v, "ops", 0), rm_num(v, "bytes", 0), rm_num(v, "ns", 0) / 1000.0);
    }
    fputs("</table>", f);
}

/* <p>open text</p> for a non-empty text of r's `key`; nothing otherwise. */
static void paragraph(FILE *f, const json_t *r, const char *key, const char *open)
{
    const char *text = rm_str(r, key, "");
    if (text[0]) {
        fputs(open, f);
        html_text(f, text);
        fputs("</p>", f);
    }
}

static void diagnosis(FILE *f, const json_t *r)
{
    const char *verdict = rm_str(r, "verdict", "");
    if (!verdict[0]) {
        return;
    }
    fputs("<h3>Diagnosis: <code>", f);
    html_text(f, verdict);
    fputs("</code></h3>", f);
    paragraph(f, r, "explanation", "<p>");
    const json_t *ev = json_object_get(r, "evidence");
    if (json_array_size(ev) > 0) {
        fputs("<b>Evidence</b><ul class=ev>", f);
        size_t i;
        const json_t *v;
        json_array_foreach(ev, i, v)
        {
            fputs("<li><code>", f);
            html_text(f, json_is_string(v) ? json_string_value(v) : "?");
            fputs("</code></li>", f);
        }
        fputs("</ul>", f);
    }
    paragraph(f, r, "fix", "<p><b>Fix:</b> ");
    const json_t *cand = json_object_get(r, "candidates");
    if (json_array_size(cand) > 0) {
        fputs("<p><b>Candidates:</b> ", f);
        size_t i;
        const json_t *c;
        json_array_foreach(cand, i, c)
        {
            fputs(i ? ", <code>" : "<code>", f);
            html_text(f, rm_str(c, "id", "?"));
            fputs("</code>", f);
            if (rm_has_num(c, "confidence")) {
                fprintf(f, " %.0f%%", rm_num(c, "confidence", 0) * 100.0);
            }
        }
        fputs("</p>", f);
    }
}

/* A relative link when the file exists in the run directory. */
static void file_link(FILE *f, const char *dir, const json_t *r, const char *run_rel,
                      const char *label)
{
    char rel[1024], path[4096];
    rm_path(r, run_rel, rel, sizeof rel);
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    bool present = rel[0] && access(path, R_OK) == 0;
    fputs(present ? "<a href='" : "<span class=note title='not in the run directory'>", f);
    if (present) {
        html_text(f, rel);
        fputs("'>", f);
    }
    html_text(f, label);
    fputs(present ? "</a> " : "</span> ", f);
}

static void files(FILE *f, const char *dir, const json_t *r)
{
    fputs("<p><b>Files:</b> ", f);
    if (rm_str(r, "log", "")[0]) {
        file_link(f, dir, r, rm_str(r, "log", ""), "client log");
    }
    const char *run_id = rm_str(r, "run_id", "");
    if (run_id[0] && !strchr(run_id, '/') && strcmp(run_id, "..") != 0) {
        static const char *const cap[] = {"conn.pcap", "clienthello.bin", "clienthello.json",
                                          "server.log", "view.json"};
        for (size_t k = 0; k < sizeof cap / sizeof cap[0]; k++) {
            char rel[600];
            snprintf(rel, sizeof rel, "captures/%s/%s", run_id, cap[k]);
            file_link(f, dir, r, rel, cap[k]);
        }
    }
    fputs("</p>", f);
}

static void result_detail(FILE *f, const char *dir, const json_t *r, size_t idx, bool open,
                          size_t log_lines)
{
    fprintf(f, "<details class=res id=r%zu%s><summary><span class='badge %s'>%s</span>", idx,
            open ? " open" : "", report_html_cell_class(r), report_html_cell_label(r));
    html_text(f, rm_str(r, "scenario", "?"));
    fputs(" &middot; ", f);
    char label[64];
    html_text(f, rm_backend_label(r, label, sizeof label));
    if (rm_str(r, "board", "")[0]) {
        fputs(" &middot; ", f);
        html_text(f, rm_str(r, "board", ""));
    }
    if (rm_str(r, "verdict", "")[0]) {
        fputs(" &middot; <code>", f);
        html_text(f, rm_str(r, "verdict", ""));
        fputs("</code>", f);
    }
    if (json_is_true(json_object_get(r, "flaky"))) {
        fputs(" &middot; flaky", f);
    }
    fputs("</summary>", f);
    const char *why = rm_is(r, "infra-error") ? rm_str(r, "infra_error", "")
                      : rm_is(r, "not-run")   ? rm_str(r, "not_run_reason", "")
                                              : rm_str(r, "expect_detail", "");
    if (!rm_met(r) && !rm_is(r, "skipped")) {
        fputs("<div class=alarm>", f);
        html_text(f, why[0] ? why : "expectation not met");
        fputs("</div>", f);
    }
    diagnosis(f, r);
    fputs("<div class=cols><div>", f);
    facts(f, r);
    primitives(f, json_object_get(r, "primitives"));
    static const char *const shown[] = {"parity", "attempt_errors", "bench_status", "bench"};
    for (size_t k = 0; k < sizeof shown / sizeof shown[0]; k++) {
        const json_t *v = json_object_get(r, shown[k]);
        if (v && !json_is_null(v)) {
            fprintf(f, "<h3>%s</h3>", shown[k]);
            html_json(f, v, 300);
        }
    }
    /* Link counters and agent identity matter when chasing the rig itself. */
    static const char *const folded[] = {"link", "agent"};
    for (size_t k = 0; k < sizeof folded / sizeof folded[0]; k++) {
        const json_t *v = json_object_get(r, folded[k]);
        if (v && !json_is_null(v)) {
            fprintf(f, "<details><summary>%s</summary>", folded[k]);
            html_json(f, v, 300);
            fputs("</details>", f);
        }
    }
    fputs("</div><div>", f);
    const json_t *server = json_object_get(r, "server");
    const json_t *ch = json_object_get(server, "clienthello");
    if (ch) {
        fputs("<h3>ClientHello (decoded by the server)</h3>", f);
        html_json(f, ch, 300);
    }
    if (json_is_object(server)) {
        json_t *view = json_copy((json_t *)server); /* shallow: only its two keys go */
        json_object_del(view, "clienthello");
        json_object_del(view, "clienthello_hex");
        fputs("<h3>Server view</h3>", f);
        html_json(f, view, 300);
        json_decref(view);
    }
    fputs("</div></div>", f);
    files(f, dir, r);
    if (rm_str(r, "log", "")[0] && log_lines > 0) {
        char rel[1024], path[4096];
        rm_path(r, rm_str(r, "log", ""), rel, sizeof rel);
        snprintf(path, sizeof path, "%s/%s", dir, rel);
        if (rel[0]) {
            fprintf(f, "<details><summary>client log (last %zu lines)</summary>", log_lines);
            html_log_tail(f, path, log_lines, 96 * 1024);
            fputs("</details>", f);
        }
    }
    fputs("</details>", f);
}

/* How a result's block shows in a run of n results: unexpected results open, with their
 * log's last 400 lines; large runs embed logs only where something went wrong, to keep the
 * page light. */
void report_html_result_form(const json_t *r, size_t n, bool *open, size_t *lines)
{
    bool bad = !rm_met(r) && !rm_is(r, "skipped");
    *open = bad && n <= 400;
    *lines = bad ? 400 : n > 200 ? 0 : 120;
}

void report_html_result(FILE *f, const char *dir, const json_t *r, size_t idx, size_t n)
{
    bool open;
    size_t lines;
    report_html_result_form(r, n, &open, &lines);
    result_detail(f, dir, r, idx, open, lines);
}
