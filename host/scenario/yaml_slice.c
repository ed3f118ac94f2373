#define _POSIX_C_SOURCE 200809L
#include "yaml_slice.h"

#include "file_read.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

char *yaml_read_file(const char *path, size_t max)
{
    return file_read_all(path, max, NULL);
}

unsigned yaml_find_key_line(const char *text, const char *key)
{
    unsigned line = 1;
    size_t klen = strlen(key);
    const char *p = text;
    while (*p) {
        const char *q = p;
        while (*q == ' ' || *q == '\t' || *q == '-') {
            q++;
        }
        if (strncmp(q, key, klen) == 0) {
            return line;
        }
        const char *nl = strchr(p, '\n');
        if (!nl) {
            break;
        }
        p = nl + 1;
        line++;
    }
    return 0;
}

static yaml_node_t *map_get(yaml_document_t *doc, yaml_node_t *map, const char *key)
{
    if (!map || map->type != YAML_MAPPING_NODE) {
        return NULL;
    }
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(doc, p->key);
        if (k && k->type == YAML_SCALAR_NODE && strlen(key) == k->data.scalar.length &&
            memcmp(k->data.scalar.value, key, k->data.scalar.length) == 0) {
            return yaml_document_get_node(doc, p->value);
        }
    }
    return NULL;
}

static bool load(const char *text, yaml_document_t *doc)
{
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        return false;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, strlen(text));
    bool ok = yaml_parser_load(&parser, doc) != 0;
    yaml_parser_delete(&parser);
    return ok;
}

bool yaml_has_path(const char *text, const char *parent, const char *key)
{
    yaml_document_t doc;
    if (!load(text, &doc)) {
        return false;
    }
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    bool found = map_get(&doc, map_get(&doc, root, parent), key) != NULL;
    yaml_document_delete(&doc);
    return found;
}

int yaml_slice_mapping(const char *text, const char *parent, const char *key, char **out, char *err,
                       size_t errlen)
{
    *out = NULL;
    yaml_document_t doc;
    if (!load(text, &doc)) {
        return 0; /* libcyaml already reported the syntax error */
    }
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    yaml_node_t *n = map_get(&doc, map_get(&doc, root, parent), key);
    int rc = 0;
    if (n && n->type != YAML_MAPPING_NODE) {
        snprintf(err, errlen, "line %zu: key '%s' under '%s' must be a mapping",
                 n->start_mark.line + 1, key, parent);
        rc = -1;
    } else if (n) {
        size_t start = n->start_mark.index, end = n->end_mark.index, col = n->start_mark.column;
        /* Re-indent the first line so the slice parses on its own. */
        char *s = malloc(col + (end - start) + 2u);
        if (s) {
            memset(s, ' ', col);
            memcpy(s + col, text + start, end - start);
            s[col + (end - start)] = '\n';
            s[col + (end - start) + 1] = '\0';
        }
        *out = s;
    }
    yaml_document_delete(&doc);
    return rc;
}
