/* Per-connection capture files under capture_dir/<label>/: directory naming
 * (label, label-2, label-3, ...), raw and JSON files, and the timestamped
 * server debug log. Timestamps are CLOCK_REALTIME microseconds, the clock the
 * host also stamps the target's log with, so the logs and the pcap line up. */
#ifndef TLSRIG_CAPTURE_H
#define TLSRIG_CAPTURE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

uint64_t capture_now_us(void);

/* Creates root (and parents) and a fresh folder for `label` inside it; the
 * label is made safe for a file name. Writes the folder's path to `out`. */
int capture_make_dir(const char *root, const char *label, char *out, size_t outlen, char *err,
                     size_t errlen);
int capture_write_file(const char *dir, const char *name, const void *data, size_t len);
int capture_write_json(const char *dir, const char *name, const json_t *value);
/* Appends one debug line prefixed with "[seconds.micros] "; `text` may end in
 * a newline or not. NULL file is accepted. */
void capture_log_line(FILE *f, const char *text);

#endif
