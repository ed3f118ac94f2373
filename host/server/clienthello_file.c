/* Reads a stored ClientHello: hex (spaces, newlines, colons, '#' comments
 * allowed) or binary, from a file or "-" for stdin. */
#include "clienthello.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FILE (4 * CH_MAX_FLIGHT)

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* True when the text is hex digits with separators and comments only. */
static bool looks_hex(const uint8_t *p, size_t n)
{
    size_t digits = 0;
    bool comment = false;
    for (size_t i = 0; i < n; i++) {
        if (comment) {
            comment = p[i] != '\n';
            continue;
        }
        if (p[i] == '#')
            comment = true;
        else if (hexval(p[i]) >= 0)
            digits++;
        else if (!isspace(p[i]) && p[i] != ':')
            return false;
    }
    return digits > 0;
}

static int decode_hex(uint8_t *p, size_t *n, char *err, size_t errlen)
{
    size_t out = 0, digits = 0;
    bool comment = false;
    int hi = 0;
    for (size_t i = 0; i < *n; i++) {
        if (comment) {
            comment = p[i] != '\n';
            continue;
        }
        if (p[i] == '#') {
            comment = true;
            continue;
        }
        int v = hexval(p[i]);
        if (v < 0)
            continue;
        if (digits++ % 2 == 0)
            hi = v;
        else
            p[out++] = (uint8_t)(hi << 4 | v);
    }
    if (digits % 2) {
        snprintf(err, errlen, "odd number of hex digits (%zu)", digits);
        return -1;
    }
    *n = out;
    return 0;
}

int clienthello_read_file(const char *path, uint8_t **data, size_t *len, char *err, size_t errlen)
{
    *data = NULL;
    *len = 0;
    bool is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open", path);
        return -1;
    }
    uint8_t *buf = malloc(MAX_FILE + 1);
    size_t n = buf ? fread(buf, 1, MAX_FILE + 1, f) : 0;
    bool read_error = ferror(f);
    if (!is_stdin)
        fclose(f);
    if (!buf || read_error || n > MAX_FILE || n == 0) {
        snprintf(err, errlen, "%s: %s", path,
                 !buf         ? "out of memory"
                 : read_error ? "read error"
                 : n == 0     ? "empty"
                              : "too large for a ClientHello");
        free(buf);
        return -1;
    }
    if (looks_hex(buf, n) && decode_hex(buf, &n, err, errlen) != 0) {
        free(buf);
        return -1;
    }
    *data = buf;
    *len = n;
    return 0;
}
