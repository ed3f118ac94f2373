/* Test-only: run one real board flasher (stlink, dfu) with a board built
 * from the command line, as `tlsrig flash` would:
 *   flash_board_tool FLASHER SERIAL IMAGE
 * Prints the flash report or "error: ..." and exits 0 or 3. */
#include <stdio.h>
#include <string.h>

#include "board_flasher.h"

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: flash_board_tool stlink|dfu SERIAL IMAGE\n");
        return 2;
    }
    board_usb_t usb = {.vid = 0x0483, .pid = 0x374b, .serial = argv[2]};
    board_config_t b;
    memset(&b, 0, sizeof b);
    b.name = "bench-board";
    b.kind = BOARD_HW;
    b.usb = argv[2][0] ? &usb : NULL;
    b.timeouts.flash_ms = 20000;
    const board_flasher_t *f = NULL;
    if (strcmp(argv[1], "stlink") == 0) {
        b.flasher = FLASHER_STLINK;
        f = &board_flasher_stlink;
    } else if (strcmp(argv[1], "dfu") == 0) {
        b.flasher = FLASHER_DFU;
        f = &board_flasher_dfu;
    } else {
        fprintf(stderr, "error: unknown flasher %s\n", argv[1]);
        return 2;
    }
    flash_report_t rep;
    char err[1024] = "";
    if (f->program(&b, argv[3], &rep, err, sizeof err) != 0) {
        fprintf(stderr, "error: %s\n", err);
        return 3;
    }
    printf("flashed %zu bytes, %u sectors, verified %d, %.3f s, probe %s\n", rep.bytes_written,
           rep.sectors_erased, rep.verified, rep.seconds, rep.probe_serial);
    return 0;
}
