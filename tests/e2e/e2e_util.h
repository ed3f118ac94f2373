/* Helpers for end-to-end tests: run the real `tlsrig` binary, read its results. */
#ifndef TLSRIG_E2E_UTIL_H
#define TLSRIG_E2E_UTIL_H

#include <jansson.h>
#include <sys/types.h>

/* A fresh empty directory under the build tree. */
void e2e_tmpdir(const char *name, char *out, size_t cap);
/* Run tlsrig with args (NULL-terminated); stdout to out_file; returns exit status. */
int e2e_run(const char *out_file, const char *const *args);
/* Same, with stderr to err_file too. */
int e2e_run_err(const char *out_file, const char *err_file, const char *const *args);
/* Start tlsrig in the background with stdout on a pipe; returns pid, *fd_out the pipe. */
pid_t e2e_spawn(const char *const *args, int *fd_out);
/* Read results.jsonl of dir; NULL if absent. Every line must parse. */
json_t *e2e_results(const char *dir);
json_t *e2e_find(json_t *results, const char *scenario);
/* Only the results of kind "target" (drops the per-image self-test lines). New array; takes
 * the reference to results. */
json_t *e2e_targets(json_t *results);
char *e2e_slurp(const char *path);

#endif
