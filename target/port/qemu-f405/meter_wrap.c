/* Linker wraps (-Wl,--wrap=...) that leave time-dependent library work out of
 * the instruction count: debug-log formatting prints the clock and the
 * peers' gmt_unix_time (newlib's number formatting costs depend on the
 * digits), and calendar conversion for X.509 validity checks depends on the
 * date. Neither is TLS work; both change from one run to the next. */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "qemu_f405.h"

int __real_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap);
int __wrap_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap);
int __wrap_snprintf(char *buf, size_t cap, const char *fmt, ...);
struct tm *__real_gmtime(const time_t *t);
struct tm *__wrap_gmtime(const time_t *t);
struct tm *__real_gmtime_r(const time_t *t, struct tm *out);
struct tm *__wrap_gmtime_r(const time_t *t, struct tm *out);

int __wrap_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap)
{
    port_meter_pause();
    int n = __real_vsnprintf(buf, cap, fmt, ap);
    port_meter_resume();
    return n;
}

int __wrap_snprintf(char *buf, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    port_meter_pause();
    int n = __real_vsnprintf(buf, cap, fmt, ap);
    port_meter_resume();
    va_end(ap);
    return n;
}

struct tm *__wrap_gmtime(const time_t *t)
{
    port_meter_pause();
    struct tm *tm = __real_gmtime(t);
    port_meter_resume();
    return tm;
}

struct tm *__wrap_gmtime_r(const time_t *t, struct tm *out)
{
    port_meter_pause();
    struct tm *tm = __real_gmtime_r(t, out);
    port_meter_resume();
    return tm;
}
