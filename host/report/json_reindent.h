/* jansson's compact dump of a value re-laid as its indented dump, byte for byte.
 *
 * For text that json_dumps(v, JSON_COMPACT | f) wrote, json_reindent gives the bytes of
 * json_dumps(v, JSON_INDENT(indent) | f) nested at depth (every line after the first
 * indented by depth * indent more spaces, as inside a document being dumped), with no
 * parsing: jansson lays out both from the same tokens, only the whitespace between them
 * differs. report.json takes each result from its results.jsonl line this way (issue 16:
 * a third of the reports' time at the end of a run was dumping results again). */
#ifndef TLSRIG_JSON_REINDENT_H
#define TLSRIG_JSON_REINDENT_H

#include <jansson.h>
#include <stddef.h>

/* 0, or what out returned when it failed. */
int json_reindent(const char *text, size_t len, size_t indent, size_t depth,
                  json_dump_callback_t out, void *ctx);

/* A json_dump_callback_t that indents what it passes on by depth * indent spaces after
 * every newline, for jansson's dump of a value nested in a document dumped by hand. */
typedef struct json_nest {
    json_dump_callback_t out;
    void *ctx;
    size_t spaces;
} json_nest_t;
int json_nest_put(const char *text, size_t size, void *nest);

#endif
