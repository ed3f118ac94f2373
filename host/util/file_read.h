/* Read a whole file into memory: the host's one file reader. */
#ifndef TLSRIG_FILE_READ_H
#define TLSRIG_FILE_READ_H

#include <stddef.h>

/* The file's bytes plus a terminating NUL (malloc'd), its length in *len
 * (may be NULL). NULL when it cannot be read (errno set by the failing call)
 * or is larger than max bytes (errno EFBIG): never a truncated file. */
char *file_read_all(const char *path, size_t max, size_t *len);

#endif
