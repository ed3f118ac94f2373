/* Panic record wire format; see panic_record.h. */
#include "panic_record.h"

#include "link.h"

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The fields in wire order, after magic and version. */
static size_t fields(const panic_record_t *rec, uint32_t *w)
{
    size_t n = 0;
    w[n++] = rec->exception;
    for (size_t i = 0; i < 8u; i++) {
        w[n++] = rec->regs[i];
    }
    w[n++] = rec->sp;
    w[n++] = rec->exc_return;
    w[n++] = rec->cfsr;
    w[n++] = rec->hfsr;
    w[n++] = rec->mmfar;
    w[n++] = rec->bfar;
    w[n++] = rec->uptime_ms;
    w[n++] = rec->boot_count;
    w[n++] = rec->stack_peak;
    w[n++] = rec->n_backtrace;
    for (size_t i = 0; i < PANIC_BACKTRACE_MAX; i++) {
        w[n++] = rec->backtrace[i];
    }
    return n;
}

size_t panic_record_encode(const panic_record_t *rec, uint8_t *out, size_t cap)
{
    uint32_t w[PANIC_RECORD_WIRE_LEN / 4u];
    if (cap < PANIC_RECORD_WIRE_LEN) {
        return 0;
    }
    w[0] = PANIC_RECORD_MAGIC;
    w[1] = PANIC_RECORD_VERSION;
    size_t n = 2u + fields(rec, w + 2);
    for (size_t i = 0; i < n; i++) {
        put32(out + 4u * i, w[i]);
    }
    put32(out + 4u * n, link_crc32(out, 4u * n));
    return 4u * (n + 1u);
}

bool panic_record_decode(const uint8_t *buf, size_t len, panic_record_t *rec)
{
    if (buf == NULL || len != PANIC_RECORD_WIRE_LEN || get32(buf) != PANIC_RECORD_MAGIC ||
        get32(buf + 4) != PANIC_RECORD_VERSION ||
        get32(buf + len - 4u) != link_crc32(buf, len - 4u)) {
        return false;
    }
    const uint8_t *p = buf + 8;
    panic_record_t r;
    r.exception = get32(p);
    p += 4;
    for (size_t i = 0; i < 8u; i++, p += 4) {
        r.regs[i] = get32(p);
    }
    uint32_t *scalars[] = {&r.sp,   &r.exc_return, &r.cfsr,       &r.hfsr,       &r.mmfar,
                           &r.bfar, &r.uptime_ms,  &r.boot_count, &r.stack_peak, &r.n_backtrace};
    for (size_t i = 0; i < sizeof scalars / sizeof scalars[0]; i++, p += 4) {
        *scalars[i] = get32(p);
    }
    if (r.n_backtrace > PANIC_BACKTRACE_MAX) {
        return false;
    }
    for (size_t i = 0; i < PANIC_BACKTRACE_MAX; i++, p += 4) {
        r.backtrace[i] = get32(p);
    }
    *rec = r;
    return true;
}

const char *panic_exception_name(uint32_t exception)
{
    switch (exception) {
    case PANIC_EXC_NONE:
        return "abort";
    case PANIC_EXC_NMI:
        return "NMI";
    case PANIC_EXC_HARDFAULT:
        return "HardFault";
    case PANIC_EXC_MEMMANAGE:
        return "MemManage";
    case PANIC_EXC_BUSFAULT:
        return "BusFault";
    case PANIC_EXC_USAGEFAULT:
        return "UsageFault";
    default:
        return "exception";
    }
}
