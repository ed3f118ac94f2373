#define _POSIX_C_SOURCE 200809L
#include "junit.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xml_escape.h"

#define EXCERPT_LINES 60

static const char *str(const json_t *o, const char *key, const char *dflt)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : dflt;
}

/* The last lines of the scenario's log: where a handshake failure shows. */
static void write_excerpt(FILE *out, const char *dir, const char *log)
{
    if (!log || !*log) {
        return;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, log);
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

int junit_write(const char *dir, const json_t *results, char *err, size_t errlen)
{
    char path[4096], tmp[4200];
    snprintf(path, sizeof path, "%s/junit.xml", dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
        return -1;
    }
    size_t total = json_array_size(results), failures = 0, errors = 0, skipped = 0;
    double seconds = 0;
    size_t i;
    json_t *r;
    json_array_foreach(results, i, r)
    {
        const char *outcome = str(r, "outcome", "");
        bool met = json_is_true(json_object_get(r, "expect_met"));
        if (strcmp(outcome, "infra-error") == 0) {
            errors++;
        } else if (strcmp(outcome, "skipped") == 0) {
            skipped++;
        } else if (!met) {
            failures++;
        }
        seconds += json_number_value(json_object_get(r, "duration_ms")) / 1000.0;
    }
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    fprintf(f,
            "<testsuites name=\"tlsrig\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
            "skipped=\"%zu\" time=\"%.3f\">\n",
            total, failures, errors, skipped, seconds);
    fprintf(f,
            "  <testsuite name=\"tlsrig\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
            "skipped=\"%zu\" time=\"%.3f\">\n",
            total, failures, errors, skipped, seconds);
    json_array_foreach(results, i, r)
    {
        const char *outcome = str(r, "outcome", "");
        bool met = json_is_true(json_object_get(r, "expect_met"));
        fprintf(f, "    <testcase classname=\"");
        xml_escape(f, str(r, "board", "?"));
        fputc('.', f);
        xml_escape(f, str(r, "backend", "?"));
        fputc('.', f);
        xml_escape(f, str(r, "config", "?"));
        fprintf(f, "\" name=\"");
        xml_escape(f, str(r, "scenario", "?"));
        fprintf(f, "\" time=\"%.3f\">\n", json_number_value(json_object_get(r, "duration_ms")) / 1000.0);
        if (strcmp(outcome, "skipped") == 0) {
            fprintf(f, "      <skipped message=\"");
            xml_escape(f, str(r, "skip_reason", "skipped"));
            fprintf(f, "\"/>\n");
        } else if (strcmp(outcome, "infra-error") == 0 || !met) {
            bool infra = strcmp(outcome, "infra-error") == 0;
            fprintf(f, "      <%s message=\"", infra ? "error" : "failure");
            xml_escape(f, infra ? str(r, "infra_error", "infrastructure error")
                                : str(r, "expect_detail", "expectation not met"));
            fprintf(f, "\" type=\"%s\">", infra ? "infra-error" : "expectation");
            const char *verdict = str(r, "verdict", NULL);
            if (verdict) {
                fprintf(f, "verdict: ");
                xml_escape(f, verdict);
                fputc('\n', f);
            }
            write_excerpt(f, dir, str(r, "log", NULL));
            fprintf(f, "</%s>\n", infra ? "error" : "failure");
        }
        fprintf(f, "    </testcase>\n");
    }
    fprintf(f, "  </testsuite>\n</testsuites>\n");
    if (fclose(f) != 0 || rename(tmp, path) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}
