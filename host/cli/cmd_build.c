/* tlsrig build --board B [--backend sw|hw] [--config P]: make the image
 * current (the build the runner would flash), and print its path and id. */
#include <stdio.h>
#include <string.h>

#include "board_config.h"
#include "commands.h"
#include "flasher.h"

int cmd_build(int argc, char **argv)
{
    const char *board = NULL, *backend = "sw", *config = "full";
    for (int i = 1; i < argc; i++) {
        if (i + 1 < argc && strcmp(argv[i], "--board") == 0) {
            board = argv[++i];
        } else if (i + 1 < argc && strcmp(argv[i], "--backend") == 0) {
            backend = argv[++i];
        } else if (i + 1 < argc && strcmp(argv[i], "--config") == 0) {
            config = argv[++i];
        } else {
            fprintf(stderr, "usage: tlsrig build --board B [--backend sw|hw] [--config P]\n");
            return 2;
        }
    }
    if (!board || (strcmp(backend, "sw") != 0 && strcmp(backend, "hw") != 0)) {
        fprintf(stderr, "usage: tlsrig build --board B [--backend sw|hw] [--config P]\n");
        return 2;
    }
    char dir[4200], err[1024];
    snprintf(dir, sizeof dir, "%s/rig-config/boards", cli_source_dir());
    board_config_t *b = board_config_load(dir, board, err, sizeof err);
    if (!b) {
        fprintf(stderr, "tlsrig build: %s\n", err);
        return 2;
    }
    char target[256], image[4400], log[4400];
    snprintf(target, sizeof target, "tlsrig-agent-%s-%s-%s", board_firmware(b), backend, config);
    board_config_free(b);
    snprintf(image, sizeof image, "%s/images/%s", cli_build_dir(), target);
    snprintf(log, sizeof log, "%s/images/%s.build.log", cli_build_dir(), target);
    printf("building %s\n", target);
    fflush(stdout);
    if (image_build(cli_build_dir(), target, log, err, sizeof err) != 0) {
        fprintf(stderr, "tlsrig build: %s (is '%s' a config profile in target/config/?)\n", err,
                config);
        return 3;
    }
    char idpath[4500], id[64] = "?";
    snprintf(idpath, sizeof idpath, "%s.buildid", image);
    FILE *f = fopen(idpath, "r");
    if (f) {
        if (fgets(id, sizeof id, f)) {
            id[strcspn(id, "\n")] = '\0';
        }
        fclose(f);
    }
    printf("image %s\nbuild id %s\n", image, id);
    return 0;
}
