/* Where a run comes from, for its run-start record and the run history: the host name, and
 * the commit of the source tree (docs/history.md). */
#ifndef TLSRIG_RUN_ORIGIN_H
#define TLSRIG_RUN_ORIGIN_H

#include <jansson.h>

/* {host, commit}: host from $TLSRIG_HOST, else the machine's name; commit from $TLSRIG_COMMIT,
 * $CI_COMMIT_SHA (GitLab) or $GITHUB_SHA, else HEAD's commit read from SOURCE_DIR's repository
 * (git_head.h), or `git -C SOURCE_DIR rev-parse HEAD` when that read cannot tell; null when none
 * answers. */
json_t *run_origin_json(const char *source_dir);

#endif
