#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file_read.h"
#include "flash_image.h"

int flash_image_load(const char *image, size_t max, flash_image_t *img, char *err, size_t errlen)
{
    memset(img, 0, sizeof *img);
    int n = snprintf(img->path, sizeof img->path, "%s.bin", image);
    if (n < 0 || (size_t)n >= sizeof img->path) {
        snprintf(err, errlen, "image path too long: %.200s", image);
        return -1;
    }
    size_t len = 0;
    char *data = file_read_all(img->path, max, &len);
    if (!data) {
        if (errno == EFBIG) {
            snprintf(err, errlen, "%s: larger than %zu bytes, not an image for this flash",
                     img->path, max);
        } else {
            snprintf(err, errlen, "%s: %s (the firmware build writes it beside the ELF)", img->path,
                     strerror(errno));
        }
        return -1;
    }
    if (len == 0) {
        free(data);
        snprintf(err, errlen, "%s: the image is empty", img->path);
        return -1;
    }
    img->data = (uint8_t *)data;
    img->len = len;
    return 0;
}

void flash_image_free(flash_image_t *img)
{
    free(img->data);
    img->data = NULL;
    img->len = 0;
}
