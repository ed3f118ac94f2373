/* TEMPORARY (serial branch): stand-ins for the stlink, dfu and uart flashers
 * until the `flashers` branch lands with flash_stlink*.c, flash_dfu*.c and
 * flash_uart*.c. The lead deletes this file at merge. */
#include <stdio.h>

#include "board_flasher.h"

static int not_built_program(const board_config_t *b, const char *image, flash_report_t *rep,
                             char *err, size_t errlen)
{
    (void)image;
    if (rep) {
        *rep = (flash_report_t){0};
    }
    snprintf(err, errlen, "board %s: this flasher is not built yet", b->name);
    return -1;
}

static int not_built_reset(const board_config_t *b, char *err, size_t errlen)
{
    snprintf(err, errlen, "board %s: this flasher is not built yet", b->name);
    return -1;
}

const board_flasher_t board_flasher_stlink = {"stlink", not_built_program, not_built_reset};
const board_flasher_t board_flasher_dfu = {"dfu", not_built_program, not_built_reset};
const board_flasher_t board_flasher_uart = {"uart", not_built_program, not_built_reset};
