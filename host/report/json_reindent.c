#include "json_reindent.h"

#include <stdbool.h>

#define SPACES_MAX 64

static const char spaces_64[SPACES_MAX + 1] =
    "                                                                ";

/* A newline and n spaces. */
static int newline(size_t n, json_dump_callback_t out, void *ctx)
{
    int rc = out("\n", 1, ctx);
    while (rc == 0 && n > 0) {
        size_t k = n < SPACES_MAX ? n : SPACES_MAX;
        rc = out(spaces_64, k, ctx);
        n -= k;
    }
    return rc;
}

int json_reindent(const char *text, size_t len, size_t indent, size_t depth,
                  json_dump_callback_t out, void *ctx)
{
    size_t level = depth, run = 0, i = 0;
    bool in_string = false;
    int rc = 0;
    /* Bytes that stay as they are go out in runs; only the structure outside strings
     * changes: after an opening bracket and a comma a newline and the level's indent, before
     * a closing bracket the outer level's, after a colon a space. */
    while (rc == 0 && i < len) {
        char c = text[i];
        if (in_string) {
            if (c == '\\') {
                i += 2; /* the escaped byte is never the string's end */
                continue;
            }
            in_string = c != '"';
            i++;
            continue;
        }
        if (c == '"') {
            in_string = true;
            i++;
            continue;
        }
        bool open = c == '{' || c == '[';
        if (!open && c != '}' && c != ']' && c != ',' && c != ':') {
            i++;
            continue;
        }
        if (i > run) {
            rc = out(text + run, i - run, ctx);
        }
        if (rc != 0) {
            break;
        }
        if (open && i + 1 < len && text[i + 1] == (c == '{' ? '}' : ']')) {
            rc = out(c == '{' ? "{}" : "[]", 2, ctx); /* empty: as jansson writes it */
            i += 2;
        } else if (open) {
            level++;
            rc = out(&text[i], 1, ctx);
            rc = rc ? rc : newline(level * indent, out, ctx);
            i++;
        } else if (c == ',') {
            rc = out(",", 1, ctx);
            rc = rc ? rc : newline(level * indent, out, ctx);
            i++;
        } else if (c == ':') {
            rc = out(": ", 2, ctx);
            i++;
        } else {
            level = level > 0 ? level - 1 : 0;
            rc = newline(level * indent, out, ctx);
            rc = rc ? rc : out(&text[i], 1, ctx);
            i++;
        }
        run = i;
    }
    if (rc == 0 && run < len && i >= len) {
        rc = out(text + run, len - run, ctx);
    }
    return rc;
}

int json_nest_put(const char *text, size_t size, void *nest)
{
    json_nest_t *n = nest;
    size_t from = 0;
    for (size_t i = 0; i < size; i++) {
        if (text[i] != '\n') {
            continue;
        }
        int rc = n->out(text + from, i - from, n->ctx);
        rc = rc ? rc : newline(n->spaces, n->out, n->ctx);
        if (rc != 0) {
            return rc;
        }
        from = i + 1;
    }
    return from < size ? n->out(text + from, size - from, n->ctx) : 0;
}
