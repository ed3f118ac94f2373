/* Small libyaml helpers for what libcyaml's schemas cannot express: whether
 * a key was given at all, a sub-tree kept as YAML text (profile overrides),
 * and the line of a key for error messages. */
#ifndef TLSRIG_YAML_SLICE_H
#define TLSRIG_YAML_SLICE_H

#include <stdbool.h>
#include <stddef.h>

/* Whole file as a NUL-terminated string (NULL if unreadable or over max). */
char *yaml_read_file(const char *path, size_t max);

/* 1-based line of the first line whose first non-blank text is `key` (e.g.
 * "suites:"), 0 if none. */
unsigned yaml_find_key_line(const char *text, const char *key);

/* Is root[parent][key] present. */
bool yaml_has_path(const char *text, const char *parent, const char *key);

/* root[parent][key] as standalone YAML text (malloc'd) in *out, or NULL when
 * absent. -1 with err when it is there but not a mapping. */
int yaml_slice_mapping(const char *text, const char *parent, const char *key, char **out,
                       char *err, size_t errlen);

#endif
