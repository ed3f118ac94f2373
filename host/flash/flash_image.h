/* The raw image a board flasher writes: <image>.bin beside the ELF image
 * (the firmware build produces both), linked at the start of flash. */
#ifndef TLSRIG_FLASH_IMAGE_H
#define TLSRIG_FLASH_IMAGE_H

#include <stddef.h>
#include <stdint.h>

typedef struct flash_image {
    uint8_t *data;
    size_t len;
    char path[4096]; /* the .bin that was read */
} flash_image_t;

/* Reads <image>.bin. -1 with err naming the file when it is missing,
 * unreadable, empty or larger than max bytes. */
int flash_image_load(const char *image, size_t max, flash_image_t *img, char *err, size_t errlen);
void flash_image_free(flash_image_t *img);

#endif
