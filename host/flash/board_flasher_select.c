/* Which board flasher a board file names, and where flashers write the
 * output of the tools they run. */
#include <stdio.h>

#include "board_flasher.h"

static char g_console_log[4096];

void board_flasher_set_console_log(const char *path)
{
    snprintf(g_console_log, sizeof g_console_log, "%s", path ? path : "");
}

const char *board_flasher_console_log(void)
{
    return g_console_log[0] ? g_console_log : NULL;
}

const board_flasher_t *board_flasher_for(const board_config_t *b, char *err, size_t errlen)
{
    switch (b->flasher) {
    case FLASHER_STLINK:
        return &board_flasher_stlink;
    case FLASHER_DFU:
        return &board_flasher_dfu;
    case FLASHER_UART:
        return &board_flasher_uart;
    case FLASHER_COMMAND:
        return &board_flasher_command;
    case FLASHER_SIM:
    case FLASHER_QEMU:
        break;
    }
    snprintf(err, errlen, "board %s: flasher %s does not program a real board", b->name,
             b->flasher == FLASHER_SIM ? "sim" : "qemu");
    return NULL;
}
