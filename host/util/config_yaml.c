#define _POSIX_C_SOURCE 200809L
#include "config_yaml.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file_read.h"

/* Deeper than any configuration we write; bounds every walk below. */
#define CONFIG_MAX_DEPTH 32

size_t config_yaml_byte_offset(const char *text, size_t len, size_t index)
{
    size_t i = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        i = 3; /* libyaml skips the BOM without counting it */
    }
    for (size_t chars = 0; i < len && chars < index; chars++) {
        i++;
        while (i < len && ((unsigned char)text[i] & 0xC0u) == 0x80u) {
            i++; /* continuation bytes belong to the same character */
        }
    }
    return i;
}

/* A syntax error where its construct began (an unclosed '[' is found lines
 * later), naming the key of that line when it has one. */
static void syntax_error(const config_yaml_t *cy, const yaml_parser_t *parser, char *err,
                         size_t errlen)
{
    const yaml_mark_t *m = parser->context ? &parser->context_mark : &parser->problem_mark;
    size_t at = config_yaml_byte_offset(cy->text, cy->len, m->index);
    while (at > 0 && cy->text[at - 1] != '\n') {
        at--;
    }
    at += strspn(cy->text + at, " \t-");
    size_t klen =
        strspn(cy->text + at, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-");
    char key[80] = "";
    if (klen > 0 && klen < 64 && cy->text[at + klen] == ':') {
        snprintf(key, sizeof key, " key '%.*s':", (int)klen, cy->text + at);
    }
    snprintf(err, errlen, "%s:%zu:%s YAML syntax error: %s%s%s (line %zu)", cy->file,
             m->line + cy->first_line, key, parser->problem ? parser->problem : "unreadable",
             parser->context ? " " : "", parser->context ? parser->context : "",
             parser->problem_mark.line + cy->first_line);
}

/* One pass over the events: syntax errors, aliases, depth and extra
 * documents, each with its line, before anything builds a tree. */
static int scan_events(const config_yaml_t *cy, char *err, size_t errlen)
{
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        snprintf(err, errlen, "%s: out of memory", cy->file);
        return -1;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)cy->text, cy->len);
    int rc = 0, depth = 0, documents = 0;
    for (bool done = false; !done && rc == 0;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            syntax_error(cy, &parser, err, errlen);
            rc = -1;
            break;
        }
        unsigned line = (unsigned)ev.start_mark.line + cy->first_line;
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = true;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (++documents > 1) {
                snprintf(err, errlen, "%s:%u: a second YAML document ('---'): one per file",
                         cy->file, line);
                rc = -1;
            }
            break;
        case YAML_ALIAS_EVENT:
            snprintf(err, errlen,
                     "%s:%u: YAML alias '*%s' refused: aliases and anchors are not supported "
                     "(they can expand without bound)",
                     cy->file, line, (const char *)ev.data.alias.anchor);
            rc = -1;
            break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
            if (++depth > CONFIG_MAX_DEPTH) {
                snprintf(err, errlen, "%s:%u: nested deeper than %d levels", cy->file, line,
                         CONFIG_MAX_DEPTH);
                rc = -1;
            }
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            depth--;
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    return rc;
}

static bool is_null_scalar(const yaml_node_t *n)
{
    if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) {
        return false;
    }
    const char *v = (const char *)n->data.scalar.value;
    return n->data.scalar.length == 0 || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 ||
           strcmp(v, "Null") == 0 || strcmp(v, "NULL") == 0;
}

static int check(config_yaml_t *cy, char *err, size_t errlen)
{
    if (strlen(cy->text) != cy->len) {
        snprintf(err, errlen, "%s: contains a NUL byte: not a YAML text file", cy->file);
        return -1;
    }
    if (scan_events(cy, err, errlen) != 0) {
        return -1;
    }
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        snprintf(err, errlen, "%s: out of memory", cy->file);
        return -1;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)cy->text, cy->len);
    int ok = yaml_parser_load(&parser, &cy->doc);
    yaml_parser_delete(&parser);
    if (!ok) {
        snprintf(err, errlen, "%s: YAML syntax error", cy->file);
        return -1;
    }
    cy->loaded = true;
    yaml_node_t *root = yaml_document_get_root_node(&cy->doc);
    if (!root || is_null_scalar(root)) {
        snprintf(err, errlen, "%s: empty file: no YAML mapping of keys in it", cy->file);
        return -1;
    }
    if (root->type != YAML_MAPPING_NODE) {
        snprintf(err, errlen, "%s:%zu: the top level must be a mapping of keys (key: value)",
                 cy->file, root->start_mark.line + cy->first_line);
        return -1;
    }
    return 0;
}

int config_yaml_text(config_yaml_t *cy, const char *file, unsigned first_line, const char *text,
                     size_t len, char *err, size_t errlen)
{
    memset(cy, 0, sizeof *cy);
    snprintf(cy->file, sizeof cy->file, "%s", file ? file : "(text)");
    cy->first_line = first_line ? first_line : 1u;
    if (len > CONFIG_FILE_MAX) {
        snprintf(err, errlen, "%s: %zu bytes, over the %zu-byte limit for configuration files",
                 cy->file, len, CONFIG_FILE_MAX);
        return -1;
    }
    cy->text = malloc(len + 1u);
    if (!cy->text) {
        snprintf(err, errlen, "%s: out of memory", cy->file);
        return -1;
    }
    memcpy(cy->text, text, len);
    cy->text[len] = '\0';
    cy->len = len;
    return check(cy, err, errlen);
}

int config_yaml_read(config_yaml_t *cy, const char *path, char *err, size_t errlen)
{
    memset(cy, 0, sizeof *cy);
    snprintf(cy->file, sizeof cy->file, "%s", path);
    cy->first_line = 1;
    cy->text = file_read_all(path, CONFIG_FILE_MAX, &cy->len);
    if (!cy->text) {
        if (errno == EFBIG) {
            snprintf(err, errlen, "%s: larger than the %zu-byte limit for configuration files",
                     path, CONFIG_FILE_MAX);
        } else {
            snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        }
        return -1;
    }
    return check(cy, err, errlen);
}

void config_yaml_free(config_yaml_t *cy)
{
    if (cy->loaded) {
        yaml_document_delete(&cy->doc);
        cy->loaded = false;
    }
    free(cy->text);
    cy->text = NULL;
}

static bool scalar_is(const yaml_node_t *n, const char *s, size_t len)
{
    return n && n->type == YAML_SCALAR_NODE && n->data.scalar.length == len &&
           memcmp(n->data.scalar.value, s, len) == 0;
}

/* The node at path, and for a mapping entry its key node. */
static yaml_node_t *lookup(const config_yaml_t *cy, const char *path, yaml_node_t **key_out)
{
    yaml_document_t *doc = (yaml_document_t *)&cy->doc;
    yaml_node_t *n = cy->loaded ? yaml_document_get_root_node(doc) : NULL;
    yaml_node_t *key = NULL;
    for (const char *seg = path; n && seg && *seg;) {
        const char *dot = strchr(seg, '.');
        size_t len = dot ? (size_t)(dot - seg) : strlen(seg);
        yaml_node_t *next = NULL;
        key = NULL;
        if (n->type == YAML_MAPPING_NODE) {
            for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
                 p < n->data.mapping.pairs.top && !next; p++) {
                yaml_node_t *k = yaml_document_get_node(doc, p->key);
                if (scalar_is(k, seg, len)) {
                    key = k;
                    next = yaml_document_get_node(doc, p->value);
                }
            }
        } else if (n->type == YAML_SEQUENCE_NODE) {
            char num[16];
            char *end = NULL;
            snprintf(num, sizeof num, "%.*s", (int)(len < 15 ? len : 15), seg);
            unsigned long i = strtoul(num, &end, 10);
            long count = n->data.sequence.items.top - n->data.sequence.items.start;
            if (end && *end == '\0' && len > 0 && (long)i < count) {
                next = yaml_document_get_node(doc, n->data.sequence.items.start[i]);
            }
        }
        n = next;
        seg = dot ? dot + 1 : NULL;
    }
    if (key_out) {
        *key_out = key;
    }
    return n;
}

unsigned config_yaml_line(const config_yaml_t *cy, const char *path)
{
    yaml_node_t *key = NULL;
    yaml_node_t *n = lookup(cy, path, &key);
    if (!n) {
        return 0;
    }
    return (unsigned)(key ? key : n)->start_mark.line + cy->first_line;
}

bool config_yaml_has(const config_yaml_t *cy, const char *path)
{
    return lookup(cy, path, NULL) != NULL;
}

static yaml_node_t *find_key(yaml_document_t *doc, yaml_node_t *n, const char *key, size_t len,
                             int depth)
{
    if (!n || depth > CONFIG_MAX_DEPTH + 1) {
        return NULL;
    }
    if (n->type == YAML_MAPPING_NODE) {
        for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
             p++) {
            yaml_node_t *k = yaml_document_get_node(doc, p->key);
            if (scalar_is(k, key, len)) {
                return k;
            }
            yaml_node_t *in =
                find_key(doc, yaml_document_get_node(doc, p->value), key, len, depth + 1);
            if (in) {
                return in;
            }
        }
    } else if (n->type == YAML_SEQUENCE_NODE) {
        for (yaml_node_item_t *i = n->data.sequence.items.start; i < n->data.sequence.items.top;
             i++) {
            yaml_node_t *in = find_key(doc, yaml_document_get_node(doc, *i), key, len, depth + 1);
            if (in) {
                return in;
            }
        }
    }
    return NULL;
}

unsigned config_yaml_key_line(const config_yaml_t *cy, const char *key)
{
    if (!cy->loaded || !key) {
        return 0;
    }
    yaml_document_t *doc = (yaml_document_t *)&cy->doc;
    yaml_node_t *k = find_key(doc, yaml_document_get_root_node(doc), key, strlen(key), 0);
    return k ? (unsigned)k->start_mark.line + cy->first_line : 0;
}

static yaml_node_t *find_scalar(yaml_document_t *doc, yaml_node_t *n, const char *v, size_t len,
                                int depth)
{
    if (!n || depth > CONFIG_MAX_DEPTH + 1) {
        return NULL;
    }
    if (scalar_is(n, v, len)) {
        return n;
    }
    if (n->type == YAML_SEQUENCE_NODE) {
        for (yaml_node_item_t *i = n->data.sequence.items.start; i < n->data.sequence.items.top;
             i++) {
            yaml_node_t *in = find_scalar(doc, yaml_document_get_node(doc, *i), v, len, depth + 1);
            if (in) {
                return in;
            }
        }
    } else if (n->type == YAML_MAPPING_NODE) {
        for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
             p++) {
            yaml_node_t *in =
                find_scalar(doc, yaml_document_get_node(doc, p->value), v, len, depth + 1);
            if (in) {
                return in;
            }
        }
    }
    return NULL;
}

unsigned config_yaml_value_line(const config_yaml_t *cy, const char *path, const char *value)
{
    yaml_node_t *n = lookup(cy, path, NULL);
    if (n && value) {
        yaml_node_t *v = find_scalar((yaml_document_t *)&cy->doc, n, value, strlen(value), 0);
        if (v) {
            return (unsigned)v->start_mark.line + cy->first_line;
        }
    }
    return config_yaml_line(cy, path);
}

int config_yaml_slice(const config_yaml_t *cy, const char *path, char **out, size_t *out_len,
                      unsigned *first_line, char *err, size_t errlen)
{
    *out = NULL;
    *out_len = 0;
    *first_line = 0;
    yaml_node_t *key = NULL;
    yaml_node_t *n = lookup(cy, path, &key);
    if (!n) {
        return 0;
    }
    if (n->type != YAML_MAPPING_NODE) {
        snprintf(err, errlen, "%s:%zu: key '%s': must be a mapping of keys", cy->file,
                 (key ? key : n)->start_mark.line + cy->first_line, path);
        return -1;
    }
    size_t start = config_yaml_byte_offset(cy->text, cy->len, n->start_mark.index);
    size_t end = config_yaml_byte_offset(cy->text, cy->len, n->end_mark.index);
    size_t col = n->start_mark.column;
    if (end < start) {
        end = start;
    }
    /* Indent the first line as in the file, so the slice parses on its own. */
    char *s = malloc(col + (end - start) + 2u);
    if (!s) {
        snprintf(err, errlen, "%s: out of memory", cy->file);
        return -1;
    }
    memset(s, ' ', col);
    memcpy(s + col, cy->text + start, end - start);
    s[col + (end - start)] = '\n';
    s[col + (end - start) + 1] = '\0';
    *out = s;
    *out_len = col + (end - start) + 1u;
    *first_line = (unsigned)n->start_mark.line + cy->first_line;
    return 0;
}
