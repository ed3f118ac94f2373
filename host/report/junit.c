#define _POSIX_C_SOURCE 200809L
#include "junit.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_file.h"
#include "report_model.h"
#include "stacks.h"
#include "xml_escape.h"

#define EXCERPT_LINES 60

static const char *str(const json_t *o, const char *key, const char *dflt)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : dflt;
}

/* The last lines of the scenario's log: where a handshake failure shows. */
static void write_excerpt(FILE *out, const char *dir, const json_t *r)
{
    char rel[1024], path[4096];
    rm_path(r, str(r, "log", ""), rel, sizeof rel);
    if (!rel[0]) {
        return;
    }
    const char *log = rel;
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    FILE *f = fopen(path, "r");
    if (!f) {
        return;
    }
    char *lines[EXCERPT_LINES] = {0};
    size_t n = 0;
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        free(lines[n % EXCERPT_LINES]);
        lines[n % EXCERPT_LINES] = strdup(line);
        n++;
    }
    free(line);
    fclose(f);
    size_t first = n > EXCERPT_LINES ? n - EXCERPT_LINES : 0;
    fprintf(out, "--- last %zu lines of %s ---\n", n - first, log);
    for (size_t i = first; i < n; i++) {
        xml_escape(out, lines[i % EXCERPT_LINES]);
    }
    for (size_t i = 0; i < EXCERPT_LINES; i++) {
        free(lines[i]);
    }
}

/* Why a result is not green, and the JUnit element that says so. */
static const char *problem(const json_t *r, const char **element, const char **type)
{
    if (rm_is(r, "infra-error")) {
        *element = "error";
        *type = "infra-error";
        return str(r, "infra_error", "infrastructure error");
    }
    if (rm_is(r, "not-run")) {
        *element = "error";
        *type = "not-run";
        return str(r, "not_run_reason", "never ran");
    }
    *element = "failure";
    *type = "expectation";
    return str(r, "expect_detail", "expectation not met");
}

void junit_emit(FILE *f, const char *dir, const json_t *results)
{
    size_t total = json_array_size(results), failures = 0, errors = 0, skipped = 0;
    double seconds = 0;
    size_t i;
    json_t *r;
    json_array_foreach(results, i, r)
    {
        if (rm_is(r, "infra-error") || rm_is(r, "not-run")) {
            errors++;
        } else if (rm_is(r, "skipped")) {
            skipped++;
        } else if (!rm_met(r)) {
            failures++;
        }
        seconds += rm_num(r, "duration_ms", 0) / 1000.0;
    }
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    for (int level = 0; level < 2; level++) {
        fprintf(f,
                "%s<%s name=\"tlsrig\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
                "skipped=\"%zu\" time=\"%.3f\">\n",
                level ? "  " : "", level ? "testsuite" : "testsuites", total, failures, errors,
                skipped, seconds);
    }
    /* issue 17 cfgfile: the user's own mbedTLS configuration, by file and digest. */
    json_t *cfs = rm_config_files(results);
    if (json_array_size(cfs) > 0) {
        fprintf(f, "    <properties>\n");
        json_array_foreach(cfs, i, r)
        {
            static const char *const keys[][2] = {
                {"config_file", "path"}, {"config_sha256", "sha256"}, {"config_stack", "stack"}};
            for (size_t k = 0; k < 3; k++) {
                fprintf(f, "      <property name=\"%s\" value=\"", keys[k][0]);
                xml_escape(f, str(r, keys[k][1], ""));
                fprintf(f, "\"/>\n");
            }
        }
        fprintf(f, "    </properties>\n");
    }
    json_decref(cfs);
    json_t *seen = json_object(); /* classname|name -> count, for unique names */
    json_array_foreach(results, i, r)
    {
        /* Stacks apart: <board>.<backend>.<config>[.<stack>] with the stack's dots as '_'
         * (a dot separates packages in JUnit viewers); the default stack adds nothing. */
        const char *stack = stack_or_default(str(r, "stack", NULL));
        char stack_part[48] = "";
        if (strcmp(stack, STACK_DEFAULT) != 0) {
            snprintf(stack_part, sizeof stack_part, ".%s", stack);
            for (char *c = stack_part + 1; *c; c++) {
                *c = *c == '.' ? '_' : *c;
            }
        }
        char key[1024];
        snprintf(key, sizeof key, "%s.%s.%s%s|%s", str(r, "board", "?"), str(r, "backend", "?"),
                 str(r, "config", "?"), stack_part, str(r, "scenario", "?"));
        json_int_t nth = json_integer_value(json_object_get(seen, key)) + 1;
        json_object_set_new(seen, key, json_integer(nth));
        fprintf(f, "    <testcase classname=\"");
        xml_escape(f, str(r, "board", "?"));
        fputc('.', f);
        xml_escape(f, str(r, "backend", "?"));
        fputc('.', f);
        xml_escape(f, str(r, "config", "?"));
        xml_escape(f, stack_part);
        fprintf(f, "\" name=\"");
        xml_escape(f, str(r, "scenario", "?"));
        if (nth > 1) {
            fprintf(f, " #%lld", (long long)nth);
        }
        fprintf(f, "\" time=\"%.3f\">\n", rm_num(r, "duration_ms", 0) / 1000.0);
        if (rm_is(r, "skipped")) {
            fprintf(f, "      <skipped message=\"");
            xml_escape(f, str(r, "skip_reason", "skipped"));
            fprintf(f, "\"/>\n");
        } else if (!rm_met(r)) {
            const char *element, *type;
            const char *message = problem(r, &element, &type);
            fprintf(f, "      <%s message=\"", element);
            xml_escape(f, message);
            fprintf(f, "\" type=\"%s\">", type);
            const char *verdict = str(r, "verdict", NULL);
            if (verdict) {
                fprintf(f, "verdict: ");
                xml_escape(f, verdict);
                fputc('\n', f);
            }
            const json_t *parity = json_object_get(r, "parity");
            if (rm_parity_flag(parity) == 0) {
                fprintf(f, "hw/sw parity: differs from sw (");
                xml_escape(f, str(parity, "reason", "?"));
                fprintf(f, "); diverging primitive: ");
                xml_escape(f, str(parity, "primitive", "unknown"));
                fputc('\n', f);
            }
            write_excerpt(f, dir, r);
            fprintf(f, "</%s>\n", element);
        }
        fprintf(f, "    </testcase>\n");
    }
    json_decref(seen);
    fprintf(f, "  </testsuite>\n</testsuites>\n");
}

int junit_write(const char *dir, const json_t *results, char *err, size_t errlen)
{
    report_file_t rf;
    if (report_file_open(&rf, dir, "junit.xml", err, errlen) != 0) {
        return -1;
    }
    junit_emit(rf.f, dir, results);
    return report_file_commit(&rf, err, errlen);
}
