/* The commit a source tree's HEAD names, read from the repository's files (issue 16 fixed
 * costs: `git rev-parse HEAD` cost 6-7 ms of every run, a tenth of a 10-handshake run). */
#ifndef TLSRIG_GIT_HEAD_H
#define TLSRIG_GIT_HEAD_H

#include <stdbool.h>
#include <stddef.h>

/* HEAD's commit (40 or 64 hex digits) of the repository holding dir: `.git` found in dir or
 * a parent, a directory or a worktree's "gitdir:" file (its "commondir" followed); HEAD
 * detached, or a branch as a loose ref or a packed-refs line, symbolic refs followed a few
 * levels. false for anything else (no repository, unborn branch, a reftable repository, a
 * file too long): the caller asks git itself then. */
bool git_head_read(const char *dir, char *out, size_t cap);

#endif
