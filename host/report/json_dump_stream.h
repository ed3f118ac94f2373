/* A JSON document into a stdio stream, the bytes json_dumpf writes: jansson's json_dumpf
 * hands every token to fwrite on its own (a lock and a call each, two thirds of writing
 * report.json); this gathers them into 64 KB pieces. */
#ifndef TLSRIG_JSON_DUMP_STREAM_H
#define TLSRIG_JSON_DUMP_STREAM_H

#include <jansson.h>
#include <stdio.h>

/* 0, or -1 when jansson or a write failed (errno from the write). */
int json_dump_stream(const json_t *v, FILE *f, size_t flags);

/* The gathering itself, for a document written in pieces: json_stream_put is a
 * json_dump_callback_t; json_stream_close writes what is left and frees the stream, 0 or
 * -1 when a write failed. NULL when memory ran out. */
typedef struct json_stream json_stream_t;
json_stream_t *json_stream_open(FILE *f);
int json_stream_put(const char *text, size_t size, void *stream);
int json_stream_close(json_stream_t *s);

#endif
