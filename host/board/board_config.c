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
#include "safe_name.h"

static const cyaml_strval_t kind_strings[] = {
    {"sim", BOARD_SIM}, {"qemu", BOARD_QEMU}, {"board", BOARD_HW}};
static const cyaml_strval_t flasher_strings[] = {{"sim", FLASHER_SIM},
                                                 {"qemu", FLASHER_QEMU},
                                                 {"stlink", FLASHER_STLINK},
                                                 {"dfu", FLASHER_DFU},
                                                 {"command", FLASHER_COMMAND}};
static const cyaml_strval_t transport_strings[] = {
    {"socketpair", TRANSPORT_SOCKETPAIR}, {"tcp", TRANSPORT_TCP}, {"serial", TRANSPORT_SERIAL}};

static const cyaml_schema_field_t link_fields[] = {
    CYAML_FIELD_ENUM("transport", CYAML_FLAG_DEFAULT, board_link_t, transport, transport_strings,
                     CYAML_ARRAY_LEN(transport_strings)),
    CYAML_FIELD_STRING_PTR("address", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, board_link_t,
                           address, 1, 256),
    CYAML_FIELD_UINT("baud", CYAML_FLAG_OPTIONAL, board_link_t, baud), CYAML_FIELD_END};

static const cyaml_schema_field_t timeout_fields[] = {
    CYAML_FIELD_UINT("hello_ms", CYAML_FLAG_OPTIONAL, board_timeouts_t, hello_ms),
    CYAML_FIELD_UINT("scenario_ms", CYAML_FLAG_OPTIONAL, board_timeouts_t, scenario_ms),
    CYAML_FIELD_UINT("restart_ms", CYAML_FLAG_OPTIONAL, board_timeouts_t, restart_ms),
    CYAML_FIELD_END};

static const cyaml_schema_field_t usb_fields[] = {
    CYAML_FIELD_UINT("vid", CYAML_FLAG_DEFAULT, board_usb_t, vid),
    CYAML_FIELD_UINT("pid", CYAML_FLAG_DEFAULT, board_usb_t, pid),
    CYAML_FIELD_STRING_PTR("serial", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, board_usb_t, serial,
                           1, 64),
    CYAML_FIELD_END};

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
    CYAML_FIELD_SEQUENCE("flash_command", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
                         board_config_t, flash_command, &argv_entry, 1, 64),
    CYAML_FIELD_SEQUENCE("backends", CYAML_FLAG_POINTER, board_config_t, backends, &backend_entry,
                         1, 2),
    CYAML_FIELD_MAPPING("link", CYAML_FLAG_DEFAULT, board_config_t, link, link_fields),
    CYAML_FIELD_MAPPING("timeouts", CYAML_FLAG_OPTIONAL, board_config_t, timeouts, timeout_fields),
    CYAML_FIELD_MAPPING_PTR("usb", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, board_config_t, usb,
                            usb_fields),
    CYAML_FIELD_STRING_PTR("machine", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, board_config_t,
                           machine, 1, 64),
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

/* Every key is used for the board's kind or refused: a setting the rig would
 * ignore is a mistake the user must hear about. Today sim and QEMU targets
 * are local processes on a socket pair the rig opens itself; no flasher for
 * real boards is built yet. */
static int check_board(const config_yaml_t *cy, const board_config_t *b, const char *name,
                       char *err, size_t errlen)
{
    if (strcmp(b->name, name) != 0) {
        return bad(cy, "name", err, errlen, "'%s', expected '%s' (the file name)", b->name, name);
    }
    if (b->kind == BOARD_HW) {
        return bad(cy, "kind", err, errlen,
                   "'board' needs a flasher (stlink, dfu or command) that this build does not "
                   "have yet; kinds available: sim, qemu");
    }
    flasher_kind_t want = b->kind == BOARD_SIM ? FLASHER_SIM : FLASHER_QEMU;
    if (b->flasher != want) {
        return bad(cy, "flasher", err, errlen, "kind %s is started by flasher '%s' only",
                   kind_name(b->kind), kind_name(b->kind));
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
    if (b->link.transport != TRANSPORT_SOCKETPAIR) {
        return bad(cy, "link.transport", err, errlen,
                   "kind %s talks over a socket pair the rig opens (transport: socketpair)",
                   kind_name(b->kind));
    }
    static const char *const unused[] = {"link.address", "link.baud", "usb", "flash_command"};
    for (size_t i = 0; i < sizeof unused / sizeof unused[0]; i++) {
        if (config_yaml_has(cy, unused[i])) {
            return bad(cy, unused[i], err, errlen, "not used by kind %s (remove it)",
                       kind_name(b->kind));
        }
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
