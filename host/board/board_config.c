#define _POSIX_C_SOURCE 200809L
#include "board_config.h"

#include <cyaml/cyaml.h>

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_yaml.h"
#include "cyaml_errors.h"
#include "line_pace.h"
#include "safe_name.h"

static const cyaml_strval_t kind_strings[] = {
    {"sim", BOARD_SIM}, {"qemu", BOARD_QEMU}, {"board", BOARD_HW}};
static const cyaml_strval_t flasher_strings[] = {
    {"sim", FLASHER_SIM}, {"qemu", FLASHER_QEMU},       {"stlink", FLASHER_STLINK},
    {"dfu", FLASHER_DFU}, {"command", FLASHER_COMMAND}, {"uart", FLASHER_UART}};
static const cyaml_strval_t transport_strings[] = {
    {"socketpair", TRANSPORT_SOCKETPAIR}, {"tcp", TRANSPORT_TCP}, {"serial", TRANSPORT_SERIAL}};

static const cyaml_strval_t line_strings[] = {
    {"leave", BOARD_LINE_LEAVE}, {"low", BOARD_LINE_LOW}, {"high", BOARD_LINE_HIGH}};

static const cyaml_schema_field_t link_fields[] = {
    CYAML_FIELD_ENUM("transport", CYAML_FLAG_DEFAULT, board_link_t, transport, transport_strings,
                     CYAML_ARRAY_LEN(transport_strings)),
    CYAML_FIELD_STRING_PTR("address", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, board_link_t,
                           address, 1, 256),
    CYAML_FIELD_UINT("baud", CYAML_FLAG_OPTIONAL, board_link_t, baud),
    CYAML_FIELD_UINT("turnaround_ms", CYAML_FLAG_OPTIONAL, board_link_t, turnaround_ms),
    CYAML_FIELD_ENUM("dtr", CYAML_FLAG_OPTIONAL, board_link_t, dtr, line_strings,
                     CYAML_ARRAY_LEN(line_strings)),
    CYAML_FIELD_ENUM("rts", CYAML_FLAG_OPTIONAL, board_link_t, rts, line_strings,
                     CYAML_ARRAY_LEN(line_strings)),
    CYAML_FIELD_END};

static const cyaml_schema_field_t timeout_fields[] = {
    CYAML_FIELD_UINT("hello_ms", CYAML_FLAG_OPTIONAL, board_timeouts_t, hello_ms),
    CYAML_FIELD_UINT("scenario_ms", CYAML_FLAG_OPTIONAL, board_timeouts_t, scenario_ms),
    CYAML_FIELD_UINT("restart_ms", CYAML_FLAG_OPTIONAL, board_timeouts_t, restart_ms),
    CYAML_FIELD_UINT("flash_ms", CYAML_FLAG_OPTIONAL, board_timeouts_t, flash_ms),
    CYAML_FIELD_UINT("reenumerate_ms", CYAML_FLAG_OPTIONAL, board_timeouts_t, reenumerate_ms),
    CYAML_FIELD_UINT("heartbeat_ms", CYAML_FLAG_OPTIONAL, board_timeouts_t, heartbeat_ms),
    CYAML_FIELD_END};

static const cyaml_schema_field_t usb_fields[] = {
    CYAML_FIELD_UINT("vid", CYAML_FLAG_DEFAULT, board_usb_t, vid),
    CYAML_FIELD_UINT("pid", CYAML_FLAG_DEFAULT, board_usb_t, pid),
    CYAML_FIELD_STRING_PTR("serial", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, board_usb_t, serial,
                           1, 64),
    CYAML_FIELD_STRING_PTR("hub", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, board_usb_t, hub, 1,
                           64),
    CYAML_FIELD_UINT("port", CYAML_FLAG_OPTIONAL, board_usb_t, port),
    CYAML_FIELD_END};

static const cyaml_schema_field_t uart_boot_fields[] = {
    CYAML_FIELD_STRING_PTR("boot0", CYAML_FLAG_POINTER, board_uart_boot_t, boot0, 3, 3),
    CYAML_FIELD_STRING_PTR("nrst", CYAML_FLAG_POINTER, board_uart_boot_t, nrst, 3, 3),
    CYAML_FIELD_BOOL("inverted", CYAML_FLAG_OPTIONAL, board_uart_boot_t, inverted),
    CYAML_FIELD_UINT("baud", CYAML_FLAG_OPTIONAL, board_uart_boot_t, baud), CYAML_FIELD_END};

static const cyaml_schema_value_t backend_entry = {
    CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 2, 8),
};

static const cyaml_schema_value_t argv_entry = {
    CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 1, 1024),
};

static const cyaml_schema_field_t board_fields[] = {
    CYAML_FIELD_STRING_PTR("name", CYAML_FLAG_POINTER, board_config_t, name, 1, 64),
    CYAML_FIELD_STRING_PTR("description", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, board_config_t,
                           description, 0, 512),
    CYAML_FIELD_ENUM("kind", CYAML_FLAG_DEFAULT, board_config_t, kind, kind_strings,
                     CYAML_ARRAY_LEN(kind_strings)),
    CYAML_FIELD_ENUM("flasher", CYAML_FLAG_DEFAULT, board_config_t, flasher, flasher_strings,
                     CYAML_ARRAY_LEN(flasher_strings)),
    CYAML_FIELD_SEQUENCE("flash_command", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, board_config_t,
                         flash_command, &argv_entry, 1, 64),
    CYAML_FIELD_SEQUENCE("reset_command", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, board_config_t,
                         reset_command, &argv_entry, 1, 64),
    CYAML_FIELD_SEQUENCE("backends", CYAML_FLAG_POINTER, board_config_t, backends, &backend_entry,
                         1, 2),
    CYAML_FIELD_MAPPING("link", CYAML_FLAG_DEFAULT, board_config_t, link, link_fields),
    CYAML_FIELD_MAPPING("timeouts", CYAML_FLAG_OPTIONAL, board_config_t, timeouts, timeout_fields),
    CYAML_FIELD_MAPPING_PTR("usb", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, board_config_t, usb,
                            usb_fields),
    CYAML_FIELD_STRING_PTR("machine", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, board_config_t,
                           machine, 1, 64),
    CYAML_FIELD_STRING_PTR("firmware", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, board_config_t,
                           firmware, 1, 64),
    CYAML_FIELD_MAPPING_PTR("uart_boot", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, board_config_t,
                            uart_boot, uart_boot_fields),
    CYAML_FIELD_END};

static const cyaml_schema_value_t board_schema = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, board_config_t, board_fields),
};

static board_config_t *load_checked(const config_yaml_t *cy, const char *name, char *err,
                                    size_t errlen);

/* "file:line: key 'path': problem" */
static int bad(const config_yaml_t *cy, const char *path, char *err, size_t errlen, const char *fmt,
               ...)
{
    char why[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    snprintf(err, errlen, "%s:%u: key '%s': %s", cy->file, config_yaml_line(cy, path), path, why);
    return -1;
}

static const char *kind_name(board_kind_t k)
{
    return k == BOARD_SIM ? "sim" : k == BOARD_QEMU ? "qemu" : "board";
}

static const char *flasher_name(flasher_kind_t f)
{
    for (size_t i = 0; i < CYAML_ARRAY_LEN(flasher_strings); i++) {
        if (flasher_strings[i].val == (int64_t)f) {
            return flasher_strings[i].str;
        }
    }
    return "?";
}

/* Keys that only one kind of board uses: refused elsewhere. */
static int refuse_keys(const config_yaml_t *cy, const board_config_t *b, const char *const *keys,
                       size_t n, char *err, size_t errlen)
{
    for (size_t i = 0; i < n; i++) {
        if (config_yaml_has(cy, keys[i])) {
            return bad(cy, keys[i], err, errlen, "not used by kind %s (remove it)",
                       kind_name(b->kind));
        }
    }
    return 0;
}

/* Emulated kinds: link.baud paces the socket pair like a UART (8N1), with
 * link.turnaround_ms of latency per direction: the sim agent itself, a relay
 * in front of QEMU's socket (its USART model has no baud timing). */
static int check_paced_line(const config_yaml_t *cy, const board_config_t *b, char *err,
                            size_t errlen)
{
    bool has_baud = config_yaml_has(cy, "link.baud");
    if (has_baud && (b->link.baud < LINE_PACE_MIN_BAUD || b->link.baud > LINE_PACE_MAX_BAUD)) {
        return bad(cy, "link.baud", err, errlen, "%u is outside %u..%u", b->link.baud,
                   LINE_PACE_MIN_BAUD, LINE_PACE_MAX_BAUD);
    }
    if (config_yaml_has(cy, "link.turnaround_ms")) {
        if (!has_baud) {
            return bad(cy, "link.turnaround_ms", err, errlen,
                       "only a paced line uses it (give link.baud too)");
        }
        if (b->link.turnaround_ms > LINE_PACE_MAX_TURNAROUND_MS) {
            return bad(cy, "link.turnaround_ms", err, errlen, "%u is over %u",
                       b->link.turnaround_ms, LINE_PACE_MAX_TURNAROUND_MS);
        }
    }
    return 0;
}

/* sim and QEMU targets are local processes on a socket pair the rig opens itself. */
static int check_emulated(const config_yaml_t *cy, const board_config_t *b, char *err,
                          size_t errlen)
{
    flasher_kind_t want = b->kind == BOARD_SIM ? FLASHER_SIM : FLASHER_QEMU;
    if (b->flasher != want) {
        return bad(cy, "flasher", err, errlen, "kind %s is started by flasher '%s' only",
                   kind_name(b->kind), kind_name(b->kind));
    }
    if (b->link.transport != TRANSPORT_SOCKETPAIR) {
        return bad(cy, "link.transport", err, errlen,
                   "kind %s talks over a socket pair the rig opens (transport: socketpair)",
                   kind_name(b->kind));
    }
    static const char *const unused[] = {"link.address",
                                         "link.dtr",
                                         "link.rts",
                                         "usb",
                                         "flash_command",
                                         "reset_command",
                                         "uart_boot",
                                         "timeouts.flash_ms",
                                         "timeouts.reenumerate_ms",
                                         "timeouts.heartbeat_ms"};
    if (refuse_keys(cy, b, unused, sizeof unused / sizeof unused[0], err, errlen) != 0) {
        return -1;
    }
    if (check_paced_line(cy, b, err, errlen) != 0) {
        return -1;
    }
    if (b->firmware && !safe_name_valid(b->firmware)) {
        return bad(cy, "firmware", err, errlen, "'%s' %s", b->firmware,
                   safe_name_problem(b->firmware));
    }
    if (b->machine && b->kind != BOARD_QEMU) {
        return bad(cy, "machine", err, errlen, "only a qemu board uses it");
    }
    if (b->machine && !safe_name_valid(b->machine)) {
        return bad(cy, "machine", err, errlen, "'%s' %s", b->machine,
                   safe_name_problem(b->machine));
    }
    return 0;
}

/* An argv template: known placeholders only, {serial} only with usb.serial. */
static int check_argv(const config_yaml_t *cy, const board_config_t *b, const char *key,
                      char *const *argv, unsigned n, char *err, size_t errlen)
{
    static const char *const known[] = {"{image}", "{bin}", "{hex}", "{serial}"};
    for (unsigned i = 0; i < n; i++) {
        char path[64];
        snprintf(path, sizeof path, "%s.%u", key, i);
        for (const char *p = strchr(argv[i], '{'); p; p = strchr(p + 1, '{')) {
            size_t k = 0;
            while (k < sizeof known / sizeof known[0] &&
                   strncmp(p, known[k], strlen(known[k])) != 0) {
                k++;
            }
            if (k == sizeof known / sizeof known[0]) {
                return bad(cy, path, err, errlen,
                           "unknown placeholder in '%s' (known: {image} {bin} {hex} {serial})",
                           argv[i]);
            }
            if (k == 3 && !(b->usb && b->usb->serial)) {
                return bad(cy, path, err, errlen, "{serial} needs usb.serial");
            }
        }
    }
    return 0;
}

static bool line_name_ok(const char *s)
{
    return strcmp(s, "dtr") == 0 || strcmp(s, "rts") == 0;
}

/* A real board: a flasher that programs it, a serial link to its agent. */
static int check_real(const config_yaml_t *cy, const board_config_t *b, char *err, size_t errlen)
{
    if (b->flasher == FLASHER_SIM || b->flasher == FLASHER_QEMU) {
        return bad(cy, "flasher", err, errlen,
                   "'%s' starts an emulated target; kind board is programmed by stlink, dfu, "
                   "uart or command",
                   flasher_name(b->flasher));
    }
    if (b->link.transport != TRANSPORT_SERIAL) {
        return bad(cy, "link.transport", err, errlen,
                   "kind board talks over its serial port (transport: serial)");
    }
    if (config_yaml_has(cy, "link.turnaround_ms")) {
        return bad(cy, "link.turnaround_ms", err, errlen,
                   "a real line has its own turnaround (only sim and qemu boards pace one)");
    }
    bool have_serial = b->usb && b->usb->serial;
    if ((!b->link.address || strcmp(b->link.address, "auto") == 0) && !have_serial) {
        return bad(cy, b->usb ? "usb" : "link", err, errlen,
                   "address auto (the default) finds the port by its probe: usb.serial is "
                   "needed (tlsrig probes lists it), or give link.address a device path");
    }
    if (b->link.address && strcmp(b->link.address, "auto") != 0 &&
        strncmp(b->link.address, "/dev/", 5) != 0) {
        return bad(cy, "link.address", err, errlen, "'%s': auto or a device path under /dev/",
                   b->link.address);
    }
    if ((b->flasher == FLASHER_STLINK || b->flasher == FLASHER_DFU) && !have_serial) {
        return bad(cy, b->usb ? "usb" : "flasher", err, errlen,
                   "flasher %s opens the probe by its serial: usb.serial is needed",
                   flasher_name(b->flasher));
    }
    if (b->usb && (b->usb->hub != NULL) != config_yaml_has(cy, "usb.port")) {
        return bad(cy, b->usb->hub ? "usb.hub" : "usb.port", err, errlen,
                   "usb.hub and usb.port go together (the hub port the probe hangs on)");
    }
    if (b->usb && b->usb->hub && b->usb->port == 0) {
        return bad(cy, "usb.port", err, errlen, "hub ports count from 1");
    }
    if (b->flasher == FLASHER_COMMAND && !b->flash_command) {
        return bad(cy, "flasher", err, errlen,
                   "flasher command needs flash_command (an argv list)");
    }
    if (b->flasher != FLASHER_COMMAND && b->flash_command) {
        return bad(cy, "flash_command", err, errlen, "only flasher command uses it");
    }
    if (check_argv(cy, b, "flash_command", b->flash_command, b->flash_command_count, err, errlen) !=
            0 ||
        check_argv(cy, b, "reset_command", b->reset_command, b->reset_command_count, err, errlen) !=
            0) {
        return -1;
    }
    if (b->flasher == FLASHER_UART && !b->uart_boot) {
        return bad(cy, "flasher", err, errlen,
                   "flasher uart needs uart_boot (which lines drive BOOT0 and NRST)");
    }
    if (b->flasher != FLASHER_UART && b->uart_boot) {
        return bad(cy, "uart_boot", err, errlen, "only flasher uart uses it");
    }
    if (b->uart_boot && (!line_name_ok(b->uart_boot->boot0) || !line_name_ok(b->uart_boot->nrst) ||
                         strcmp(b->uart_boot->boot0, b->uart_boot->nrst) == 0)) {
        return bad(cy, "uart_boot", err, errlen,
                   "boot0 and nrst are dtr and rts, one each (BOOT0 '%s', NRST '%s')",
                   b->uart_boot->boot0, b->uart_boot->nrst);
    }
    if (b->machine) {
        return bad(cy, "machine", err, errlen, "only a qemu board uses it");
    }
    if (b->firmware && !safe_name_valid(b->firmware)) {
        return bad(cy, "firmware", err, errlen, "'%s' %s", b->firmware,
                   safe_name_problem(b->firmware));
    }
    return 0;
}

/* Every key is used for the board's kind or refused: a setting the rig would
 * ignore is a mistake the user must hear about. */
static int check_board(const config_yaml_t *cy, const board_config_t *b, const char *name,
                       char *err, size_t errlen)
{
    if (strcmp(b->name, name) != 0) {
        return bad(cy, "name", err, errlen, "'%s', expected '%s' (the file name)", b->name, name);
    }
    for (unsigned i = 0; i < b->backends_count; i++) {
        if (strcmp(b->backends[i], "sw") != 0 && strcmp(b->backends[i], "hw") != 0) {
            return bad(cy, "backends", err, errlen, "unknown backend '%s' (sw or hw)",
                       b->backends[i]);
        }
        if (i > 0 && strcmp(b->backends[0], b->backends[i]) == 0) {
            return bad(cy, "backends", err, errlen, "'%s' listed twice", b->backends[i]);
        }
    }
    return b->kind == BOARD_HW ? check_real(cy, b, err, errlen)
                               : check_emulated(cy, b, err, errlen);
}

board_config_t *board_config_load(const char *dir, const char *name, char *err, size_t errlen)
{
    char path[4096];
    config_yaml_t cy;
    memset(&cy, 0, sizeof cy);
    board_config_t *b = NULL;
    if (!safe_name_valid(name)) {
        snprintf(err, errlen, "invalid board name '%s': %s", name ? name : "",
                 safe_name_problem(name));
        goto exit;
    }
    snprintf(path, sizeof path, "%s/%s.yaml", dir, name);
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "unknown board '%s': no %s", name, path);
        goto exit;
    }
    fclose(f);
    if (config_yaml_read(&cy, path, err, errlen) != 0) {
        goto exit;
    }
    b = load_checked(&cy, name, err, errlen);
exit:
    config_yaml_free(&cy);
    return b;
}

board_config_t *board_config_load_text(const char *name, const char *text, size_t len, char *err,
                                       size_t errlen)
{
    config_yaml_t cy;
    board_config_t *b = NULL;
    char label[128];
    snprintf(label, sizeof label, "%.64s.yaml", name ? name : "");
    if (!safe_name_valid(name)) {
        snprintf(err, errlen, "invalid board name '%s': %s", name ? name : "",
                 safe_name_problem(name));
        return NULL;
    }
    if (config_yaml_text(&cy, label, 1, text, len, err, errlen) == 0) {
        b = load_checked(&cy, name, err, errlen);
    }
    config_yaml_free(&cy);
    return b;
}

static void set_real_defaults(board_config_t *b)
{
    if (b->link.baud == 0) {
        b->link.baud = 115200;
    }
    if (b->timeouts.flash_ms == 0) {
        b->timeouts.flash_ms = 60000;
    }
    if (b->timeouts.reenumerate_ms == 0) {
        b->timeouts.reenumerate_ms = 10000;
    }
    if (b->timeouts.heartbeat_ms == 0) {
        b->timeouts.heartbeat_ms = 2000;
    }
    if (b->uart_boot && b->uart_boot->baud == 0) {
        b->uart_boot->baud = 115200;
    }
}

const char *board_firmware(const board_config_t *b)
{
    return b->firmware ? b->firmware : b->name;
}

static board_config_t *load_checked(const config_yaml_t *cy, const char *name, char *err,
                                    size_t errlen)
{
    board_config_t *b = NULL;
    cyaml_errors_reset();
    cyaml_err_t e = cyaml_load_data((const uint8_t *)cy->text, cy->len, &tlsrig_cyaml_config,
                                    &board_schema, (cyaml_data_t **)&b, NULL);
    if (e != CYAML_OK || !b) {
        cyaml_errors_describe(cy, e, "", err, errlen);
        return NULL;
    }
    if (check_board(cy, b, name, err, errlen) != 0) {
        board_config_free(b);
        return NULL;
    }
    if (b->timeouts.hello_ms == 0) {
        b->timeouts.hello_ms = 5000;
    }
    if (b->timeouts.scenario_ms == 0) {
        b->timeouts.scenario_ms = 30000;
    }
    if (b->timeouts.restart_ms == 0) {
        b->timeouts.restart_ms = 5000;
    }
    if (b->kind == BOARD_HW) {
        set_real_defaults(b);
    } else if (b->link.baud != 0 && !config_yaml_has(cy, "link.turnaround_ms")) {
        b->link.turnaround_ms = 1;
    }
    return b;
}

void board_config_free(board_config_t *b)
{
    if (b) {
        cyaml_free(&tlsrig_cyaml_config, &board_schema, b, 0);
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t board_config_list(const char *dir, char ***names)
{
    *names = NULL;
    DIR *d = opendir(dir);
    if (!d) {
        return 0;
    }
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len > 5 && strcmp(e->d_name + len - 5, ".yaml") == 0) {
            if (n == cap) {
                cap = cap ? cap * 2 : 8;
                char **grown = realloc(*names, cap * sizeof **names);
                if (!grown) {
                    break;
                }
                *names = grown;
            }
            (*names)[n++] = strndup(e->d_name, len - 5);
        }
    }
    closedir(d);
    if (n > 0) {
        qsort(*names, n, sizeof **names, cmp_str);
    }
    return n;
}
