#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flash_map.h"

static int map_add(flash_map_t *m, uint32_t size, char *err, size_t errlen)
{
    if (m->count >= FLASH_MAP_MAX) {
        snprintf(err, errlen, "flash map: more than %d sectors", FLASH_MAP_MAX);
        return -1;
    }
    uint32_t at = m->count ? m->start[m->count - 1] + m->size[m->count - 1] : m->base;
    m->start[m->count] = at;
    m->size[m->count] = size;
    m->count++;
    return 0;
}

/* One F4 bank: 4x16K, 64K, then 128K up to bank_bytes. */
static int f4_bank(flash_map_t *m, uint32_t bank_bytes, char *err, size_t errlen)
{
    static const uint32_t head[] = {16384, 16384, 16384, 16384, 65536};
    uint32_t done = 0;
    for (size_t i = 0; i < sizeof head / sizeof head[0] && done < bank_bytes; i++) {
        if (map_add(m, head[i], err, errlen) != 0) {
            return -1;
        }
        done += head[i];
    }
    while (done < bank_bytes) {
        if (map_add(m, 131072, err, errlen) != 0) {
            return -1;
        }
        done += 131072;
    }
    if (done != bank_bytes) {
        snprintf(err, errlen, "flash size %u bytes is not an STM32F4 sector boundary",
                 (unsigned)bank_bytes);
        return -1;
    }
    return 0;
}

int flash_map_stm32f4(uint32_t flash_bytes, flash_map_t *m, char *err, size_t errlen)
{
    memset(m, 0, sizeof *m);
    m->base = STM32_FLASH_BASE;
    if (flash_bytes < 65536 || flash_bytes > 2u * 1024 * 1024) {
        snprintf(err, errlen, "flash size %u bytes is not an STM32F4's", (unsigned)flash_bytes);
        return -1;
    }
    if (flash_bytes == 2u * 1024 * 1024) {
        /* Dual bank: bank 2 starts again with small sectors at 0x08100000. */
        if (f4_bank(m, flash_bytes / 2, err, errlen) != 0) {
            return -1;
        }
        return f4_bank(m, flash_bytes / 2, err, errlen);
    }
    return f4_bank(m, flash_bytes, err, errlen);
}

/* "04*016Kg": count, size, unit (K, M or space), type letter. */
static int dfuse_segment(const char **p, flash_map_t *m, char *err, size_t errlen)
{
    char *end = NULL;
    unsigned long n = strtoul(*p, &end, 10);
    if (end == *p || *end != '*' || n == 0 || n > FLASH_MAP_MAX) {
        snprintf(err, errlen, "DfuSe layout: bad sector count at \"%.20s\"", *p);
        return -1;
    }
    const char *q = end + 1;
    unsigned long sz = strtoul(q, &end, 10);
    if (end == q || sz == 0) {
        snprintf(err, errlen, "DfuSe layout: bad sector size at \"%.20s\"", q);
        return -1;
    }
    if (*end == 'K') {
        sz *= 1024;
    } else if (*end == 'M') {
        sz *= 1024 * 1024;
    } else if (*end != ' ' && *end != 'B') {
        snprintf(err, errlen, "DfuSe layout: bad unit at \"%.20s\"", end);
        return -1;
    }
    end++;
    if (*end < 'a' || *end > 'g') {
        snprintf(err, errlen, "DfuSe layout: bad sector type at \"%.20s\"", end);
        return -1;
    }
    end++;
    for (unsigned long i = 0; i < n; i++) {
        if (map_add(m, (uint32_t)sz, err, errlen) != 0) {
            return -1;
        }
    }
    *p = end;
    return 0;
}

int flash_map_dfuse(const char *layout, flash_map_t *m, char *err, size_t errlen)
{
    memset(m, 0, sizeof *m);
    const char *p = strchr(layout, '/');
    if (layout[0] != '@' || !p) {
        snprintf(err, errlen, "DfuSe layout \"%.60s\": no @name/address", layout);
        return -1;
    }
    p++;
    char *end = NULL;
    unsigned long base = strtoul(p, &end, 16);
    if (end == p || *end != '/' || base > 0xFFFFFFFFul) {
        snprintf(err, errlen, "DfuSe layout \"%.60s\": bad address", layout);
        return -1;
    }
    m->base = (uint32_t)base;
    p = end + 1;
    /* Only the first region (the main flash); further "/0x..." regions are
     * other memories the rig never writes. */
    for (;;) {
        if (dfuse_segment(&p, m, err, errlen) != 0) {
            return -1;
        }
        if (*p != ',') {
            break;
        }
        p++;
    }
    if (*p != '\0' && *p != '/' && !isspace((unsigned char)*p)) {
        snprintf(err, errlen, "DfuSe layout: trailing \"%.20s\"", p);
        return -1;
    }
    return 0;
}

uint32_t flash_map_total(const flash_map_t *m)
{
    uint32_t total = 0;
    for (unsigned i = 0; i < m->count; i++) {
        total += m->size[i];
    }
    return total;
}

int flash_map_span(const flash_map_t *m, size_t len, unsigned *first, unsigned *count, char *err,
                   size_t errlen)
{
    if (len == 0) {
        snprintf(err, errlen, "the image is empty");
        return -1;
    }
    if (len > flash_map_total(m)) {
        snprintf(err, errlen, "the image (%zu bytes) does not fit the flash (%u bytes)", len,
                 (unsigned)flash_map_total(m));
        return -1;
    }
    *first = 0;
    *count = 0;
    uint64_t end = (uint64_t)m->base + len;
    for (unsigned i = 0; i < m->count && m->start[i] < end; i++) {
        (*count)++;
    }
    return 0;
}
