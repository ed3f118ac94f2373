/* results.jsonl: one JSON object per line. A run writes a run-start record
 * (what was planned), one result per scenario x backend as each completes
 * (flushed, so a run cut short keeps every finished line), and a run-end
 * record. Lines with a "record" key are run records; all others are results.
 * Files written before run records existed have results only. */
#ifndef TLSRIG_RESULTS_LOG_H
#define TLSRIG_RESULTS_LOG_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* Upper bound of one line when reading (a run-start record of a large
 * selection is the longest); longer lines count as unreadable. */
#define RESULTS_LINE_MAX (4u << 20)

struct result_text; /* result_texts.h */

typedef struct run_log {
    json_t *results; /* array of result objects, in file order */
    json_t *records; /* array of run records (run-start, run-end), in file order */
    size_t skipped;  /* unreadable lines (torn by a kill, or not JSON objects) */
    /* The mirror only (NULL when read from a file): each result's line as written, and what
     * the reports prepared from it while the run went on (result_texts.h). */
    struct result_text *texts;
    size_t n_texts;
} run_log_t;

typedef struct results_log {
    int fd;
    char path[4096];
    struct results_sync *sync; /* the fdatasync thread (results_sync.h), NULL before */
    /* What results_log_load would read back from the file: each line parsed from the bytes
     * written, as it is written (on the result worker), so the reports need not read and
     * parse the whole file again at the end of the run. mirror_ok turns false when a line
     * could not be parsed for want of memory: the file is then read instead. */
    run_log_t mirror;
    bool mirror_ok;
    /* When set (results_log_prerender): each result's report.html block is rendered as its
     * line is written, for a run of about prerender_n results writing into prerender_dir. */
    const char *prerender_dir;
    size_t prerender_n;
} results_log_t;

/* Create DIR/results.jsonl exclusively (O_EXCL): the claim on a run
 * directory. -1 with err naming the file; *exists set when another run (or an
 * earlier one) already holds it. */
int results_log_create(results_log_t *r, const char *dir, bool *exists, char *err, size_t errlen);
/* Render each result's report.html block as it is appended (on the appending thread, in
 * the background of a run), for a run of about n results in dir (kept, not copied). */
void results_log_prerender(results_log_t *r, const char *dir, size_t n);
/* One write(2) per line: a line is whole in the file or absent; then its
 * fdatasync, on a thread of its own (results_sync.h). -1 with err naming
 * the file on any failure (full disk ..., or an earlier line's sync). */
int results_log_append(results_log_t *r, const json_t *line, char *err, size_t errlen);
/* Waits for the last sync. -1 with err when a sync or the close reports
 * a deferred write error. Frees the mirror if it was not taken. */
int results_log_close(results_log_t *r, char *err, size_t errlen);

/* What the file holds so far, as results_log_load would read it, moved to *out (the
 * results_log keeps none): false when the mirror is incomplete (read the file instead).
 * Call after the last append. */
bool results_log_take_mirror(results_log_t *r, run_log_t *out);

/* Parse results.jsonl text. Never fails: bad lines are counted. */
void results_log_parse(const char *text, size_t len, run_log_t *out);
/* Read DIR/results.jsonl; -1 with err when it cannot be read. */
int results_log_load(const char *dir, run_log_t *out, char *err, size_t errlen);
void run_log_free(run_log_t *l);

/* The results of DIR/results.jsonl only (run records left out); *skipped
 * counts unreadable lines. NULL with err when the file cannot be read. */
json_t *results_log_read(const char *dir, size_t *skipped, char *err, size_t errlen);

/* "run-start", "run-end", or NULL for a result. */
const char *results_record_kind(const json_t *line);

#endif
