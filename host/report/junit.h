/* junit.xml: one testcase per scenario and backend. A failure when the
 * expectation is not met (with the log excerpt), an error for an
 * infrastructure error, skipped for skipped. */
#ifndef TLSRIG_JUNIT_H
#define TLSRIG_JUNIT_H

#include <jansson.h>
#include <stddef.h>

/* results: array of result objects (results.jsonl). Log paths in them are
 * relative to dir. 0, or -1 with err. */
int junit_write(const char *dir, const json_t *results, char *err, size_t errlen);

#endif
