/* The board flasher "uart" when this build has no serial transport
 * (host/transport's tlsrig_transport): says so instead of failing to link. */
#include <stdio.h>

#include "board_flasher.h"

static int uart_missing(const board_config_t *b, const char *image, flash_report_t *rep, char *err,
                        size_t errlen)
{
    (void)image;
    *rep = (flash_report_t){0};
    snprintf(err, errlen, "board %s: flasher uart: no serial transport in this build", b->name);
    return -1;
}

const board_flasher_t board_flasher_uart = {"uart", uart_missing, NULL};
