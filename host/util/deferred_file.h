/* A file made when it is needed, not when it is opened (issue 16). What the stream gets is
 * kept in memory until the file is made: by a flush at least spill_ms after the open (a long
 * scenario's or connection's log is on disk while it runs, for a `tail -f`), by
 * deferred_file_spill, or by deferred_file_close. A handshake of a few milliseconds thus
 * makes its log and capture files after it ended, not between the client's hello and the
 * server's answer or on the thread that relays them: on a file system where each new inode is
 * dear (ext4 without a journal skips over every recently deleted one) those creations were
 * the largest cost the rig added to a handshake on the development machine. */
#ifndef TLSRIG_DEFERRED_FILE_H
#define TLSRIG_DEFERRED_FILE_H

#include <stdio.h>

/* What scenario logs and server captures use: the bridge flushes the log every 50 ms. */
#define DEFERRED_FILE_SPILL_MS 50u
/* Kept in memory at most; more makes the file at once (a bulk transfer through a server's
 * capture must not grow the host's memory for 50 ms at loopback speed). */
#define DEFERRED_FILE_KEEP_MAX (1u << 20)

typedef struct deferred_file deferred_file_t;

/* The folder the file goes in, asked once, when the file is made (it may make the folder
 * then); NULL with errno set when there is none. */
typedef const char *(*deferred_dir_fn)(void *ctx);

/* The file `path`; nothing is made yet. NULL when out of memory. */
deferred_file_t *deferred_file_open(const char *path, unsigned spill_ms);
/* The file `name` in the folder dir(ctx) gives when the file is made. */
deferred_file_t *deferred_file_open_in(deferred_dir_fn dir, void *ctx, const char *name,
                                       unsigned spill_ms);
/* The stream to write to. It may be fclose'd by its user (a writer that owns its stream):
 * what it held is kept, and deferred_file_close still makes the file. */
FILE *deferred_file_stream(deferred_file_t *d);
/* Makes the file now if not yet made (another process is about to append to it by name)
 * and writes what is kept. 0 or the errno of the failure. */
int deferred_file_spill(deferred_file_t *d);
/* Makes the file if not yet made, writes what is kept, closes, frees. 0, or the errno of
 * the first failure (the file could not be made or written): lost data then. NULL is 0. */
int deferred_file_close(deferred_file_t *d);

#endif
