/* mbedTLS debug output to the LOG channel, as "file:line: |level| text"
 * (the format of mbedTLS's own sample programs, which logparse reads). */
#ifndef TLSRIG_DEBUG_LOG_H
#define TLSRIG_DEBUG_LOG_H

#include <stddef.h>

void debug_log_cb(void *ctx, int level, const char *file, int line, const char *str);
/* Agent's own lines ("tlsrig: ..."), same channel. */
void debug_log_printf(const char *fmt, ...);
/* Send what is buffered. */
void debug_log_flush(void);

#endif
