/* Run the real `tlsrig` binary (or another program) for tests: stdout and stderr captured, exit
 * code back. */
#ifndef TLSRIG_TEST_RUN_TLSRIG_H
#define TLSRIG_TEST_RUN_TLSRIG_H

#include <stddef.h>

typedef struct {
    int exit_code; /* -1 when it did not exit normally */
    char *out;     /* captured stdout, malloc'd, never NULL */
    char *err;     /* captured stderr, malloc'd, never NULL */
} tlsrig_run_t;

/* argv: NULL-terminated, argv[0] the program (searched in PATH). Runs from
 * the source tree, stdin from /dev/null. */
tlsrig_run_t run_program(const char *const *argv);
/* args: NULL-terminated, without the program name. Runs from the source tree. */
tlsrig_run_t run_tlsrig(const char *const *args);
void run_tlsrig_free(tlsrig_run_t *r);
/* A fresh, empty directory under the build tree for one test's output. */
void fresh_dir(const char *name, char *out, size_t cap);
/* $TLSRIG_SOURCE_DIR/rel */
void source_path(const char *rel, char *out, size_t cap);
char *slurp_file(const char *path);

#endif
