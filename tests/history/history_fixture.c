/* Synthetic run folders (history_fixture.h). */
#define _POSIX_C_SOURCE 200809L
#include "history_fixture.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void hf_tmpdir(const char *name, char *out, size_t cap)
{
    const char *build = getenv("TLSRIG_BUILD_DIR");
    snprintf(out, cap, "%s/test-tmp/history-%s-%ld", build ? build : "/tmp", name, (long)getpid());
    char cmd[4400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", out, out);
    cr_assert_eq(system(cmd), 0, "cannot make %s", out);
}

json_t *hf_result(const char *scenario, const char *backend, const char *outcome,
                  double duration_ms, long heap_peak)
{
    return json_pack("{ss ss ss ss ss ss sf sf sI sI sb s{sI sI}}", "scenario", scenario, "kind",
                     "target", "backend", backend, "board", "sim", "config", "full", "outcome",
                     outcome, "duration_ms", duration_ms, "target_duration_us", duration_ms * 900.0,
                     "heap_peak", (json_int_t)heap_peak, "handshake_steps", (json_int_t)17,
                     "expect_met", !strcmp(outcome, "pass"), "link", "bytes_rx", (json_int_t)9000,
                     "retransmits", (json_int_t)0);
}

void hf_write_run(const char *dir, const char *started_at, json_t *results)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/results.jsonl", dir);
    mkdir(dir, 0755);
    FILE *f = fopen(path, "w");
    cr_assert(f, "cannot write %s", path);
    json_t *start = json_pack("{ss si ss ss ss s[s] s[s] ss}", "record", "run-start", "format", 2,
                              "started_at", started_at, "board", "sim", "out_dir", dir, "backends",
                              "sw", "stacks", "mbedtls-2.28", "host", "testhost");
    json_dumpf(start, f, JSON_COMPACT);
    fputc('\n', f);
    size_t i;
    json_t *r;
    json_array_foreach(results, i, r)
    {
        json_dumpf(r, f, JSON_COMPACT);
        fputc('\n', f);
    }
    json_t *end = json_pack("{ss sb ss si}", "record", "run-end", "complete", 1, "ended_at",
                            started_at, "exit_code", 0);
    json_dumpf(end, f, JSON_COMPACT);
    fputc('\n', f);
    cr_assert_eq(fclose(f), 0);
    json_decref(start);
    json_decref(end);
    json_decref(results);
}
