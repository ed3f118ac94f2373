/* Helpers of stacks_upgrade_e2e (upgrade_test_util.c). */
#ifndef TLSRIG_UPGRADE_TEST_UTIL_H
#define TLSRIG_UPGRADE_TEST_UTIL_H

#include <jansson.h>
#include <stddef.h>

/* The shared `tlsrig run --board sim --stack all --backend both` run of a few scenarios:
 * made by the first test that needs it (in this test binary's invocation). */
const char *shared_run(void);
/* Its results (run records left out). New reference. */
json_t *shared_results(void);
/* tlsrig with args: its exit status; *out (and *err unless err is NULL) what it printed
 * (free() them). tag names the files that hold them. */
int tlsrig(const char *tag, char **out, char **err, const char *const *args);
/* Parsed JSON text (asserts it is). New reference. */
json_t *parse(const char *text);
/* The row of a stack comparison for a scenario and backend (asserts there is one). */
const json_t *row(const json_t *sc, const char *scenario, const char *backend);
const char *class_of(const json_t *sc, const char *scenario, const char *backend);
/* o.path1 (.path2) as a string, NULL when absent or not a string. */
const char *s_of(const json_t *o, const char *path1, const char *path2);
/* A new run directory DIR (under the build tree, named after name) holding results, written
 * by the results writer tlsrig run uses. Returns dir. */
const char *write_run(const char *name, const json_t *results, char *dir, size_t cap);
/* Deep copies of the results of one stack. New reference. */
json_t *of_stack(const json_t *results, const char *stack);
/* The result of a scenario and backend (asserts there is one); borrowed. */
json_t *find(json_t *results, const char *scenario, const char *backend);

#endif
