/* tlsrig flash --board B [--backend sw|hw] [--config P] [--image PATH]:
 * put the image on the target, start it, and check with HELLO that the board
 * runs exactly that build (for sim and QEMU this is a start and a check). */
#include <stdio.h>
#include <string.h>

#include "board_config.h"
#include "board_lock.h"
#include "commands.h"
#include "target_session.h"

int cmd_flash(int argc, char **argv)
{
    const char *board = NULL, *backend = "sw", *config = "full", *image_arg = NULL;
    for (int i = 1; i < argc; i++) {
        if (i + 1 < argc && strcmp(argv[i], "--board") == 0) {
            board = argv[++i];
        } else if (i + 1 < argc && strcmp(argv[i], "--backend") == 0) {
            backend = argv[++i];
        } else if (i + 1 < argc && strcmp(argv[i], "--config") == 0) {
            config = argv[++i];
        } else if (i + 1 < argc && strcmp(argv[i], "--image") == 0) {
            image_arg = argv[++i];
        } else {
            board = NULL;
            break;
        }
    }
    if (!board) {
        fprintf(stderr,
                "usage: tlsrig flash --board B [--backend sw|hw] [--config P] [--image PATH]\n");
        return 2;
    }
    char dir[4200], err[1024], image[4400], console[4500];
    snprintf(dir, sizeof dir, "%s/rig-config/boards", cli_source_dir());
    board_config_t *b = board_config_load(dir, board, err, sizeof err);
    if (!b) {
        fprintf(stderr, "tlsrig flash: %s\n", err);
        return 2;
    }
    if (image_arg) {
        snprintf(image, sizeof image, "%s", image_arg);
    } else {
        snprintf(image, sizeof image, "%s/images/tlsrig-agent-%s-%s-%s", cli_build_dir(),
                 board_firmware(b), backend, config);
    }
    snprintf(console, sizeof console, "%s.console.log", image);
    target_session_t ts;
    memset(&ts, 0, sizeof ts);
    board_lock_t lock = {.fd = -1};
    int rc = 0;
    /* A real board is driven by one job at a time (as tlsrig run). */
    if (b->kind == BOARD_HW && board_lock_acquire(b->name, 0, &lock, err, sizeof err) != 0) {
        fprintf(stderr, "tlsrig flash: %s\n", err);
        rc = -1;
        goto exit;
    }
    rc = target_session_start(&ts, b, image, backend, config, console, NULL, 0, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "tlsrig flash: %s\n", err);
    } else {
        json_t *flash = target_session_flash_json(&ts);
        if (flash) {
            printf("flash: %s, %s (%.1f s)\n", json_string_value(json_object_get(flash, "outcome")),
                   json_string_value(json_object_get(flash, "reason")),
                   json_real_value(json_object_get(flash, "seconds")));
            json_decref(flash);
        }
        printf("%s runs %s: build %s, backend %s, config %s, mbedTLS %s, uid %s\n", board, image,
               ts.info.build_id, ts.info.backend, ts.info.config, ts.info.mbedtls_version,
               ts.info.device_uid);
    }
    target_session_stop(&ts);
exit:
    board_lock_release(&lock);
    board_config_free(b);
    return rc == 0 ? 0 : 3;
}
