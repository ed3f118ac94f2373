/* Helpers of the report tests: fixture paths, scratch copies of fixture run
 * directories (reports are written next to results.jsonl), file contents. */
#ifndef TLSRIG_REPORT_TEST_UTIL_H
#define TLSRIG_REPORT_TEST_UTIL_H

#include <stddef.h>

/* $TLSRIG_SOURCE_DIR/tests/fixtures/reports/<name>, in a static buffer. */
const char *fixture_dir(const char *name);
/* A fresh scratch directory holding a copy of the fixture; static buffer. */
const char *scratch_copy(const char *name);
/* A fresh empty scratch directory; static buffer. */
const char *scratch_dir(void);
/* Whole file as a NUL-terminated string, NULL when absent; free() it. */
char *slurp(const char *dir, const char *file);

#endif
