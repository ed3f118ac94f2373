/* libFuzzer: any bytes as a results.jsonl, through the reader and every
 * report built from it (into memory; the run directory does not exist, so
 * no file outside is ever read). */
#define _POSIX_C_SOURCE 200809L
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "junit.h"
#include "report_html.h"
#include "report_json.h"
#include "report_markdown.h"
#include "results_log.h"
#include "run_compare.h"
#include "run_summary.h"
#include "stack_compare.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void emit_all(const run_log_t *l, json_t *verdict)
{
    static const char dir[] = "/nonexistent-tlsrig-fuzz-run";
    json_t *doc = report_document(dir, l->results, l->skipped,
                                  json_object_get(verdict, "completeness"), NULL);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    if (out) {
        junit_emit(out, dir, l->results);
        report_markdown_emit(out, doc);
        report_html_emit(out, dir, doc, NULL);
        run_summary_print(out, verdict, dir);
        fclose(out);
    }
    free(buf);
    json_decref(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    run_log_t l;
    results_log_parse((const char *)data, size, &l);
    /* compare reads results as recorded; then they are normalised. */
    compare_opts_t o;
    compare_opts_default(&o);
    json_t *cmp = compare_results(l.results, l.results, &o);
    json_decref(cmp);
    /* The stacks side by side, also across stacks the bytes may name in any way. */
    json_t *sc = stack_compare(l.results, "mbedtls-2.28", l.results, "mbedtls-3.6");
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    if (out) {
        stack_compare_print(out, sc);
        stack_compare_markdown(out, sc);
        stack_compare_html(out, sc);
        fclose(out);
    }
    free(buf);
    json_decref(sc);
    json_t *verdict = run_verdict(l.results, l.records, l.skipped, false);
    emit_all(&l, verdict);
    json_decref(verdict);
    run_log_free(&l);
    return 0;
}
