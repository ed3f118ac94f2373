#include "lava_cases.h"

#include <stdbool.h>
#include <string.h>

#include "report_model.h"

#define LAVA_NAME_MAX 200

const char *lava_result_of(const json_t *r)
{
    if (rm_is(r, "skipped")) {
        return "skip";
    }
    if (rm_is(r, "not-run")) {
        return "unknown";
    }
    return rm_met(r) ? "pass" : "fail";
}

void lava_safe_name(const char *in, char *out, size_t n)
{
    if (n == 0) {
        return;
    }
    size_t w = 0;
    if (in[0] == '-' && w + 1 < n) {
        out[w++] = '_'; /* lava-test-case would take it for an option */
    }
    for (const char *p = in; *p && w + 1 < n; p++) {
        char c = *p;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '-';
        out[w++] = ok ? c : '_';
    }
    out[w] = '\0';
    if (w == 0) {
        snprintf(out, n, "unnamed");
    }
}

/* More than one distinct value of key among the results: the name needs it. */
static bool varies(const json_t *results, const char *key)
{
    json_t *d = rm_distinct(results, key);
    bool more = json_array_size(d) > 1;
    json_decref(d);
    return more;
}

typedef struct qualifiers {
    bool board, config, stack;
} qualifiers_t;

/* scenario.backend[.board][.config][.stack], then ".N" for the Nth use of a
 * name (repeats, or two results that differ only by an unsafe character). */
static void case_name(const json_t *r, const qualifiers_t *q, json_t *used, char *out, size_t n)
{
    char raw[LAVA_NAME_MAX * 2];
    int w = snprintf(raw, sizeof raw, "%s.%s", rm_str(r, "scenario", "unnamed"),
                     rm_str(r, "backend", "-"));
    const char *extra[3] = {q->board ? rm_str(r, "board", "-") : NULL,
                            q->config ? rm_str(r, "config", "-") : NULL,
                            q->stack ? rm_str(r, "stack", "-") : NULL};
    for (size_t i = 0; i < 3 && w > 0 && (size_t)w < sizeof raw; i++) {
        if (extra[i]) {
            w += snprintf(raw + w, sizeof raw - (size_t)w, ".%s", extra[i]);
        }
    }
    char base[LAVA_NAME_MAX - 24]; /* room for ".N" */
    lava_safe_name(raw, base, sizeof base);
    json_int_t seen = json_integer_value(json_object_get(used, base)) + 1;
    json_object_set_new(used, base, json_integer(seen));
    if (seen == 1) {
        snprintf(out, n, "%s", base);
    } else {
        snprintf(out, n, "%s.%lld", base, (long long)seen);
    }
}

/* The handshake time the target measured, else the host's duration. */
static bool case_time_ms(const json_t *r, double *ms)
{
    if (rm_has_num(r, "target_duration_us")) {
        *ms = rm_num(r, "target_duration_us", 0) / 1000.0;
        return true;
    }
    if (rm_has_num(r, "duration_ms")) {
        *ms = rm_num(r, "duration_ms", 0);
        return true;
    }
    return false;
}

static void print_case(FILE *out, const json_t *r, const qualifiers_t *q, json_t *used)
{
    char name[LAVA_NAME_MAX];
    case_name(r, q, used, name, sizeof name);
    const char *result = lava_result_of(r);
    fprintf(out, "lava-test-case %s --result %s", name, result);
    double ms = 0;
    /* A result that never ran or was skipped has no measurement to report. */
    bool ran = strcmp(result, "skip") != 0 && strcmp(result, "unknown") != 0;
    if (ran && case_time_ms(r, &ms)) {
        fprintf(out, " --measurement %.3f --units ms", ms);
    }
    fputc('\n', out);
    if (!ran) {
        return;
    }
    /* One measurement per LAVA case: the other figures get cases of their own. */
    static const struct {
        const char *key, *suffix, *units;
    } figures[] = {
        {"heap_peak", "heap-peak", "bytes"},
        {"instructions", "instructions", "instructions"},
    };
    for (size_t i = 0; i < sizeof figures / sizeof figures[0]; i++) {
        if (rm_has_num(r, figures[i].key)) {
            fprintf(out, "lava-test-case %s.%s --result %s --measurement %.0f --units %s\n", name,
                    figures[i].suffix, result, rm_num(r, figures[i].key, 0), figures[i].units);
        }
    }
}

int lava_cases_print(FILE *out, const json_t *results, const json_t *verdict)
{
    qualifiers_t q = {varies(results, "board"), varies(results, "config"),
                      varies(results, "stack")};
    json_t *used = json_object();
    size_t i;
    const json_t *r;
    json_array_foreach(results, i, r)
    {
        print_case(out, r, &q, used);
    }
    json_decref(used);
    const json_t *c = json_object_get(verdict, "completeness");
    bool complete = strcmp(rm_str(c, "status", "unknown"), "complete") == 0;
    fprintf(out, "lava-test-case tlsrig-run-complete --result %s\n", complete ? "pass" : "fail");
    return fflush(out) != 0 || ferror(out) ? -1 : 0;
}
