/* Test images: deterministic bytes, written as <dir>/fw.bin. */
#ifndef TLSRIG_TEST_IMAGE_UTIL_H
#define TLSRIG_TEST_IMAGE_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* len bytes that differ from their neighbours (an LCG), malloc'd. */
uint8_t *image_bytes(size_t len, uint32_t seed);
/* Writes data to <dir>/fw.bin in a fresh temporary dir; returns the image
 * path "<dir>/fw" in path (the flashers add .bin). */
void image_write(const uint8_t *data, size_t len, char *path, size_t cap);

/* The models' own STM32F4 sector table (not the flasher's): start (offset
 * from 0x08000000) of the sector holding off, its size in *size. */
uint32_t f4_sector_of(uint32_t off, uint32_t *size);

#endif
