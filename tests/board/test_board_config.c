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

Test(board_config, the_paced_sim_boards_load_with_their_line)
{
    static const uint32_t bauds[] = {115200, 921600};
    for (size_t i = 0; i < 2; i++) {
        char name[32];
        snprintf(name, sizeof name, "sim-uart-%u", bauds[i]);
        board_config_t *b = board_config_load(dir_of("rig-config/boards"), name, err, sizeof err);
        cr_assert_not_null(b, "%s", err);
        cr_expect_eq(b->kind, BOARD_SIM);
        cr_expect_eq(b->link.baud, bauds[i]);
        cr_expect_eq(b->link.turnaround_ms, 1u);
        cr_expect_str_eq(board_firmware(b), "sim", "runs the sim agent's images");
        board_config_free(b);
    }
    /* turnaround_ms defaults to 1 ms on a paced line; the bare sim stays unpaced. */
    static const char text[] = "name: p\nkind: sim\nflasher: sim\nbackends: [sw]\n"
                               "link:\n  transport: socketpair\n  baud: 57600\n";
    board_config_t *b = board_config_load_text("p", text, sizeof text - 1, err, sizeof err);
    cr_assert_not_null(b, "%s", err);
    cr_expect_eq(b->link.turnaround_ms, 1u);
    board_config_free(b);
    b = board_config_load(dir_of("rig-config/boards"), "sim", err, sizeof err);
    cr_assert_not_null(b, "%s", err);
    cr_expect_eq(b->link.baud, 0u, "no line: the bare socket pair");
    board_config_free(b);
}

Test(board_config, the_shipped_real_and_fake_vcp_boards_load_with_their_defaults)
{
    const char *dir = dir_of("rig-config/boards");
    board_config_t *b = board_config_load(dir, "nucleo-f439zi", err, sizeof err);
    cr_assert_not_null(b, "%s", err);
    cr_expect_eq(b->kind, BOARD_HW);
    cr_expect_eq(b->flasher, FLASHER_STLINK);
    cr_expect_eq(b->link.transport, TRANSPORT_SERIAL);
    cr_expect_str_eq(b->link.address, "auto");
    cr_expect_eq(b->link.baud, 115200u);
    cr_expect_eq(b->link.dtr, BOARD_LINE_LEAVE);
    cr_expect_str_eq(b->usb->serial, BOARD_SERIAL_PLACEHOLDER);
    cr_expect_eq(b->timeouts.flash_ms, 60000u);
    cr_expect_eq(b->timeouts.reenumerate_ms, 10000u);
    cr_expect_eq(b->timeouts.heartbeat_ms, 2000u);
    cr_expect_str_eq(board_firmware(b), "nucleo-f439zi");
    board_config_free(b);
    b = board_config_load(dir, "sim-serial", err, sizeof err);
    cr_assert_not_null(b, "%s", err);
    cr_expect_eq(b->flasher, FLASHER_COMMAND);
    cr_expect_str_eq(board_firmware(b), "sim");
    cr_assert_eq(b->flash_command_count, 6u);
    cr_expect_str_eq(b->flash_command[5], "{image}");
    cr_assert_eq(b->reset_command_count, 4u);
    cr_expect_str_eq(b->reset_command[3], "reset");
    board_config_free(b);
    b = board_config_load(dir, "qemu-f405-serial", err, sizeof err);
    cr_assert_not_null(b, "%s", err);
    cr_expect_str_eq(board_firmware(b), "qemu-f405");
    board_config_free(b);
}

Test(board_config, a_real_board_takes_lines_hub_port_and_uart_wiring)
{
    const char text[] = "name: custom\nkind: board\nflasher: uart\nbackends: [sw]\n"
                        "link: {transport: serial, address: /dev/ttyUSB0, baud: 57600, dtr: low, "
                        "rts: high}\n"
                        "usb: {vid: 0x0403, pid: 0x6001, serial: A1, hub: \"1-1\", port: 3}\n"
                        "uart_boot: {boot0: dtr, nrst: rts, inverted: true}\n"
                        "reset_command: [reset-board, \"{serial}\"]\n"
                        "timeouts: {flash_ms: 9000, reenumerate_ms: 3000, heartbeat_ms: 500}\n";
    board_config_t *b = board_config_load_text("custom", text, sizeof text - 1, err, sizeof err);
    cr_assert_not_null(b, "%s", err);
    cr_expect_eq(b->flasher, FLASHER_UART);
    cr_expect_eq(b->link.baud, 57600u);
    cr_expect_eq(b->link.dtr, BOARD_LINE_LOW);
    cr_expect_eq(b->link.rts, BOARD_LINE_HIGH);
    cr_expect_str_eq(b->usb->hub, "1-1");
    cr_expect_eq(b->usb->port, 3u);
    cr_expect_str_eq(b->uart_boot->boot0, "dtr");
    cr_expect(b->uart_boot->inverted);
    cr_expect_eq(b->uart_boot->baud, 115200u, "bootloader baud default");
    cr_expect_eq(b->timeouts.flash_ms, 9000u);
    cr_expect_eq(b->timeouts.heartbeat_ms, 500u);
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
    {"real-board", 5, "link", "usb.serial is needed"},
    {"board-sim-flasher", 3, "flasher", "starts an emulated target"},
    {"board-socketpair", 6, "link.transport", "transport: serial"},
    {"board-command-no-argv", 3, "flasher", "needs flash_command"},
    {"board-unknown-placeholder", 6, "flash_command.1", "unknown placeholder"},
    {"board-serial-placeholder-without-usb", 5, "flash_command.2", "{serial} needs usb.serial"},
    {"board-hub-without-port", 11, "usb.hub", "go together"},
    {"board-uart-same-line", 8, "uart_boot", "one each"},
    {"board-bad-line", 7, NULL, "maybe"},
    {"board-flash-command-on-stlink", 4, "flash_command", "only flasher command"},
    {"board-uart-boot-on-stlink", 8, "uart_boot", "only flasher uart"},
    {"board-relative-address", 8, "link.address", "a device path under /dev/"},
    {"sim-flash-ms", 8, "timeouts.flash_ms", "not used by kind sim"},
    {"sim-reset-command", 7, "reset_command", "not used by kind sim"},
    {"serial-transport", 6, "link.transport", "socketpair"},
    {"unused-address", 7, "link.address", "not used by kind sim"},
    {"sim-baud-too-low", 7, "link.baud", "300 is outside 1200.."},
    {"sim-turnaround-without-baud", 7, "link.turnaround_ms", "give link.baud too"},
    {"sim-turnaround-too-long", 8, "link.turnaround_ms", "5000 is over 1000"},
    {"board-turnaround", 8, "link.turnaround_ms", "a real line has its own turnaround"},
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
