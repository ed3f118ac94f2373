/* Join run directories from several boards or runners into one: results.jsonl
 * concatenated (results and run records) with each line's provenance, the
 * logs and captures copied under runs/<n>-<name>/, then every report. */
#ifndef TLSRIG_RUN_MERGE_H
#define TLSRIG_RUN_MERGE_H

#include <stddef.h>

/* Returns 0; 2 with err when the output is one of the inputs, lies inside
 * one, or already holds results (nothing is written then); 3 with err when a
 * source cannot be read or a file cannot be written. A torn line in a source
 * is dropped as in any report. */
int run_merge(const char *const *dirs, size_t n_dirs, const char *out_dir, char *err,
              size_t errlen);

#endif
