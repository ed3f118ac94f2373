/* Board files: the shipped boards load with their defaults; every broken file
 * (tests/fixtures/boards-broken/) is refused with its file, line and key,
 * never accepted with a setting the rig would ignore, never a crash. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board_config.h"

static char err[1024];

static const char *dir_of(const char *rel)
{
    static char d[4096];
    const char *src = getenv("TLSRIG_SOURCE_DIR");
    cr_assert_not_null(src, "TLSRIG_SOURCE_DIR is not set (run through ctest)");
    snprintf(d, sizeof d, "%s/%s", src, rel);
    return d;
}

Test(board_config, the_shipped_boards_load_with_their_settings)
{
    board_config_t *b = board_config_load(dir_of("rig-config/boards"), "sim", err, sizeof err);
    cr_assert_not_null(b, "%s", err);
    cr_expect_eq(b->kind, BOARD_SIM);
    cr_expect_eq(b->backends_count, 2u);
    cr_expect_eq(b->timeouts.scenario_ms, 30000u);
    board_config_free(b);
    b = board_config_load(dir_of("rig-config/boards"), "qemu-f405", err, sizeof err);
    cr_assert_not_null(b, "%s", err);
    cr_expect_str_eq(b->machine, "netduinoplus2");
    cr_expect_eq(b->timeouts.restart_ms, 15000u);
    board_config_free(b);
}

static const struct {
    const char *name;
    unsigned line; /* 0: the file has no line to name (empty) */
    const char *key;
    const char *says;
} broken[] = {
    {"unknown-backend", 4, "backends", "unknown backend 'tpm'"},
    {"twice-backend", 4, "backends", "listed twice"},
    {"stlink-flasher", 3, "flasher", "flasher 'sim'"},
    {"wrong-flasher", 3, "flasher", "flasher 'qemu'"},
    {"real-board", 2, "kind", "does not have yet"},
    {"serial-transport", 6, "link.transport", "socketpair"},
    {"unused-address", 7, "link.address", "not used by kind sim"},
    {"unused-baud", 7, "link.baud", "not used by kind sim"},
    {"unused-usb", 7, "usb", "not used by kind sim"},
    {"machine-on-sim", 4, "machine", "only a qemu board"},
    {"name-mismatch", 1, "name", "expected 'name-mismatch'"},
    {"alias", 7, NULL, "alias '*b' refused"},
    {"empty", 0, NULL, "empty file"},
    {"comment-only", 0, NULL, "empty file"},
};

Test(board_config, every_broken_board_is_refused_with_file_line_and_key)
{
    const char *dir = dir_of("tests/fixtures/boards-broken");
    for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++) {
        err[0] = '\0';
        board_config_t *b = board_config_load(dir, broken[i].name, err, sizeof err);
        cr_expect_null(b, "%s loaded although it is broken", broken[i].name);
        board_config_free(b);
        char where[4200], key[128];
        if (broken[i].line) {
            snprintf(where, sizeof where, "%s/%s.yaml:%u:", dir, broken[i].name, broken[i].line);
        } else {
            snprintf(where, sizeof where, "%s/%s.yaml:", dir, broken[i].name);
        }
        cr_expect(strncmp(err, where, strlen(where)) == 0, "%s: not at %s: %s", broken[i].name,
                  where, err);
        if (broken[i].key) {
            snprintf(key, sizeof key, "key '%s'", broken[i].key);
            cr_expect(strstr(err, key) != NULL, "%s: does not name %s: %s", broken[i].name, key,
                      err);
        }
        cr_expect(strstr(err, broken[i].says) != NULL, "%s: does not say '%s': %s", broken[i].name,
                  broken[i].says, err);
    }
}

Test(board_config, a_board_name_that_leaves_the_folder_is_refused)
{
    const char *names[] = {"../boards/sim", "a/b", "", ".hidden"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        board_config_t *b =
            board_config_load(dir_of("rig-config/boards"), names[i], err, sizeof err);
        cr_expect_null(b, "'%s' loaded", names[i]);
        cr_expect(strstr(err, "invalid board name") != NULL, "%s", err);
    }
}

Test(board_config, a_board_from_text_follows_the_same_rules)
{
    const char ok[] =
        "name: sim\nkind: sim\nflasher: sim\nbackends: [sw]\nlink: {transport: socketpair}\n";
    board_config_t *b = board_config_load_text("sim", ok, sizeof ok - 1, err, sizeof err);
    cr_assert_not_null(b, "%s", err);
    cr_expect_eq(b->timeouts.hello_ms, 5000u, "default hello timeout");
    board_config_free(b);
    b = board_config_load_text("sim", "", 0, err, sizeof err);
    cr_expect_null(b);
    cr_expect(strstr(err, "empty file") != NULL, "%s", err);
}
