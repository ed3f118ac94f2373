/* Server profiles from fixtures/profiles/<name>.yaml (libcyaml), and YAML
 * overrides on top of a loaded profile (scenarios' `server: {overrides: ...}`).
 * The YAML keys are the field names of server_profile_t; see docs/formats.md.
 * Files go through config_yaml (size limit, no aliases, not empty). */
#ifndef TLSRIG_PROFILE_LOAD_H
#define TLSRIG_PROFILE_LOAD_H

#include <stddef.h>

#include "config_yaml.h"
#include "profile.h"

/* Profile keys parsed and checked (every name known), not yet applied: a
 * whole profile file or a scenario's overrides, parsed once at load. */
typedef struct profile_patch profile_patch_t;

/* NULL with "file:line: key 'PREFIXkey': problem" in err. prefix names where
 * the mapping sits ("server.overrides." for a scenario), "" for a file. */
profile_patch_t *profile_patch_parse(const config_yaml_t *cy, const char *prefix, char *err,
                                     size_t errlen);
/* Apply onto *p (unchanged on error: min_version above max_version). */
int profile_patch_apply(const profile_patch_t *patch, server_profile_t *p, char *err,
                        size_t errlen);
void profile_patch_free(profile_patch_t *patch);

/* The permissive defaults every profile starts from. */
void profile_defaults(server_profile_t *p);

/* Loads <profiles_dir>/<name>.yaml. 0, or -1 with "file:line: key: problem"
 * in err. */
int profile_load(const char *profiles_dir, const char *name, server_profile_t *out, char *err,
                 size_t errlen);
/* Loads one file; name defaults to the file's stem. */
int profile_load_file(const char *path, server_profile_t *out, char *err, size_t errlen);
/* The same from text in memory; path names it (and gives the default name). */
int profile_load_text(const char *path, const char *text, size_t len, server_profile_t *out,
                      char *err, size_t errlen);

/* Applies a YAML mapping with the same keys as a profile file on top of *p;
 * keys not present keep their value. On error *p is unchanged. */
int profile_apply_overrides_yaml(server_profile_t *p, const char *yaml_text, char *err,
                                 size_t errlen);

/* Profile names (file stems of *.yaml), sorted. 0 or -1 (unreadable dir). */
int profile_list(const char *profiles_dir, char names[][PROFILE_NAME_LEN], size_t max,
                 size_t *count);

/* $TLSRIG_SOURCE_DIR/fixtures/profiles, else the source tree built from. */
const char *profile_default_dir(void);

/* "continue", "alert", "reset", "close", "silence". */
const char *profile_reaction_name(reaction_kind_t kind);

#endif
