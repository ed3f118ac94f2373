/* Join run directories from several boards or runners into one: results.jsonl
 * concatenated with each result's provenance, the logs and captures copied
 * under runs/<n>-<name>/, then every report. */
#ifndef TLSRIG_RUN_MERGE_H
#define TLSRIG_RUN_MERGE_H

#include <stddef.h>

/* Returns 0, or -1 with err. A source without results.jsonl is an error; a
 * torn last line in a source is skipped as for any report. */
int run_merge(const char *const *dirs, size_t n_dirs, const char *out_dir, char *err,
              size_t errlen);

#endif
