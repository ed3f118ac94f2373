#define _POSIX_C_SOURCE 200809L
#include "result_texts.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "report_html_result.h"

result_text_t *result_texts_add(run_log_t *log, const json_t *r, char *line, size_t len)
{
    /* Texts stay parallel to results: one per result, in order, or none at all. */
    if (log->n_texts + 1 != json_array_size(log->results)) {
        free(line);
        return NULL;
    }
    size_t n = log->n_texts + 1;
    if ((n & (n - 1)) == 0) { /* a power of two: the array doubles */
        result_text_t *v = realloc(log->texts, 2 * n * sizeof *v);
        if (!v) {
            free(line);
            return NULL;
        }
        log->texts = v;
    }
    result_text_t *t = &log->texts[log->n_texts++];
    *t = (result_text_t){.result = r, .line = line, .line_len = len};
    return t;
}

void result_text_render_html(result_text_t *t, const char *dir, size_t idx, size_t n)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) {
        return;
    }
    report_html_result(f, dir, t->result, idx, n);
    bool failed = ferror(f) != 0;
    if (fclose(f) != 0 || failed) {
        free(buf);
        return;
    }
    free(t->html);
    t->html = buf;
    t->html_len = len;
    t->html_idx = idx;
    t->html_n = n;
}

const result_text_t *result_texts_at(const run_log_t *log, size_t idx, const json_t *r)
{
    return idx < log->n_texts && log->texts[idx].result == r ? &log->texts[idx] : NULL;
}

void result_texts_free(run_log_t *log)
{
    for (size_t i = 0; i < log->n_texts; i++) {
        free(log->texts[i].line);
        free(log->texts[i].html);
    }
    free(log->texts);
    log->texts = NULL;
    log->n_texts = 0;
}
