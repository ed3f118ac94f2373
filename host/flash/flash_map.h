/* Flash sector maps of STM32 parts: which erase units an image covers. The
 * flashers erase exactly those and never a sector outside the image. */
#ifndef TLSRIG_FLASH_MAP_H
#define TLSRIG_FLASH_MAP_H

#include <stddef.h>
#include <stdint.h>

#define FLASH_MAP_MAX 64
#define STM32_FLASH_BASE 0x08000000u

typedef struct flash_map {
    uint32_t base;                 /* address of sector 0 */
    unsigned count;                /* sectors */
    uint32_t start[FLASH_MAP_MAX]; /* absolute address of each sector */
    uint32_t size[FLASH_MAP_MAX];  /* bytes */
} flash_map_t;

/* STM32F4 from its flash size: per bank 4x16K, 1x64K, then 128K sectors; a
 * 2 MB part (F42x/F43x) has two banks of 1 MB (sectors 12..23 in bank 2). */
int flash_map_stm32f4(uint32_t flash_bytes, flash_map_t *m, char *err, size_t errlen);

/* A DfuSe memory layout string, the name of the bootloader's alt setting 0:
 * "@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg". */
int flash_map_dfuse(const char *layout, flash_map_t *m, char *err, size_t errlen);

uint32_t flash_map_total(const flash_map_t *m);

/* The sectors that hold [base, base + len): *first and *count. -1 with err
 * when len is 0 or the image does not fit the flash. */
int flash_map_span(const flash_map_t *m, size_t len, unsigned *first, unsigned *count, char *err,
                   size_t errlen);

#endif
