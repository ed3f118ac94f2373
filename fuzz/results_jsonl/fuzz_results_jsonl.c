/* libFuzzer: any bytes as a results.jsonl, through the reader and every
 * report built from it (into memory; the run directory does not exist, so
 * no file outside is ever read). */
#define _POSIX_C_SOURCE 200809L
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_reindent.h"
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

static int to_file(const char *text, size_t size, void *f)
{
    return fwrite(text, 1, size, f) == size ? 0 : -1;
}

/* json_reindent of v's compact dump must be jansson's indented dump, byte for byte (what
 * report.json relies on); and bytes of any kind must be walked safely. */
static void check_reindent(const json_t *v, const uint8_t *raw, size_t raw_len)
{
    char *got = NULL;
    size_t got_len = 0;
    FILE *f = open_memstream(&got, &got_len);
    if (!f) {
        return;
    }
    (void)json_reindent((const char *)raw, raw_len, 1, 2, to_file, f);
    fclose(f);
    free(got);
    char *compact = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(15));
    char *want = json_dumps(v, JSON_INDENT(1) | JSON_SORT_KEYS | JSON_REAL_PRECISION(15));
    got = NULL;
    got_len = 0;
    f = compact && want ? open_memstream(&got, &got_len) : NULL;
    if (f) {
        int rc = json_reindent(compact, strlen(compact), 1, 0, to_file, f);
        if (fclose(f) == 0 && rc == 0 &&
            (got_len != strlen(want) || memcmp(got, want, got_len) != 0)) {
            abort(); /* report.json would differ from jansson's dump */
        }
    }
    free(got);
    free(compact);
    free(want);
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
    size_t i;
    const json_t *r;
    json_array_foreach(l.results, i, r)
    {
        check_reindent(r, data, size);
    }
    json_t *verdict = run_verdict(l.results, l.records, l.skipped, false);
    emit_all(&l, verdict);
    json_decref(verdict);
    run_log_free(&l);
    return 0;
}
