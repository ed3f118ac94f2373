/* Configuration YAML (scenario, board and profile files) read and checked the
 * same way for every loader, plus where each key is, for error messages:
 *   - files over CONFIG_FILE_MAX bytes are refused, never truncated;
 *   - a file with no document (empty, only comments) is refused;
 *   - YAML aliases are refused: they can expand to gigabytes;
 *   - the top level must be a mapping.
 * Positions come from libyaml's node marks converted to byte offsets
 * (libyaml counts characters, so a UTF-8 description before a key would
 * otherwise shift every slice). libcyaml builds the typed structs; this keeps
 * the node tree only to say "file:line: key" after libcyaml is done. */
#ifndef TLSRIG_CONFIG_YAML_H
#define TLSRIG_CONFIG_YAML_H

#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

/* The documented size limit of a configuration file (docs/formats.md). */
#define CONFIG_FILE_MAX ((size_t)1 << 20)

typedef struct config_yaml {
    char *text; /* NUL-terminated, owned */
    size_t len;
    char file[4096];     /* for messages */
    unsigned first_line; /* line of the file where text starts (1 for a whole file) */
    yaml_document_t doc;
    bool loaded;
} config_yaml_t;

/* Read and check a file. 0, or -1 with "file[:line]: problem" in err. */
int config_yaml_read(config_yaml_t *cy, const char *path, char *err, size_t errlen);

/* Check YAML text that came from elsewhere (a slice of another file, a fuzzer
 * input); file and first_line place it for messages. The text is copied. */
int config_yaml_text(config_yaml_t *cy, const char *file, unsigned first_line, const char *text,
                     size_t len, char *err, size_t errlen);

void config_yaml_free(config_yaml_t *cy);

/* Line in the file of the node at path: keys separated by '.', a number
 * indexes a sequence ("client.suites.2"); for a mapping entry, the key's
 * line. 0 when there is no such node. */
unsigned config_yaml_line(const config_yaml_t *cy, const char *path);
bool config_yaml_has(const config_yaml_t *cy, const char *path);

/* Line of the first mapping key named key anywhere in the document (depth
 * first, in file order); 0 when none. For libcyaml errors, which name a key
 * but not its place. */
unsigned config_yaml_key_line(const config_yaml_t *cy, const char *key);

/* Line of the scalar `value` inside the node at path (a list item, or a value
 * in a nested mapping); the path's own line when not found there. */
unsigned config_yaml_value_line(const config_yaml_t *cy, const char *path, const char *value);

/* The mapping at path as standalone YAML text (malloc'd, *out NULL when
 * absent), with the file line it starts on in *first_line. -1 with err when
 * the node is there but not a mapping. */
int config_yaml_slice(const config_yaml_t *cy, const char *path, char **out, size_t *out_len,
                      unsigned *first_line, char *err, size_t errlen);

/* Byte offset of libyaml's character index `index` in text (UTF-8, optional BOM). */
size_t config_yaml_byte_offset(const char *text, size_t len, size_t index);

#endif
