/* File helpers for the certificate cache: directories, whole-file reads,
 * atomic writes (temp file + rename) and the cache-wide flock. */
#ifndef TLSRIG_CERTS_CACHE_FILES_H
#define TLSRIG_CERTS_CACHE_FILES_H

#include <stdbool.h>
#include <stddef.h>

int cache_mkdir_p(const char *path, char *err, size_t errlen);
bool cache_file_present(const char *path); /* exists, regular, not empty */
/* Whole file, NUL-terminated, malloc'd; NULL on error. At most max bytes. */
unsigned char *cache_read_file(const char *path, size_t max, size_t *len_out);
/* Write to "<path>.tmp.<pid>.<n>" then rename over path: readers see either
 * nothing or the complete file. */
int cache_write_atomic(const char *path, const void *data, size_t len, unsigned mode, char *err,
                       size_t errlen);
/* Exclusive flock on <dir>/.lock; returns the fd to pass to cache_unlock. */
int cache_lock(const char *dir, char *err, size_t errlen);
void cache_unlock(int fd);
/* Lower-case hex SHA-256 of data (65 bytes with NUL). */
void cache_sha256_hex(const void *data, size_t len, char out[65]);

#endif
