#define _POSIX_C_SOURCE 200809L
#include "board_config.h"

#include <cyaml/cyaml.h>

#include "cyaml_errors.h"
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static const cyaml_schema_field_t board_fields[] = {
    CYAML_FIELD_STRING_PTR("name", CYAML_FLAG_POINTER, board_config_t, name, 1, 64),
    CYAML_FIELD_STRING_PTR("description", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, board_config_t,
                           description, 0, 512),
    CYAML_FIELD_ENUM("kind", CYAML_FLAG_DEFAULT, board_config_t, kind, kind_strings,
                     CYAML_ARRAY_LEN(kind_strings)),
    CYAML_FIELD_ENUM("flasher", CYAML_FLAG_DEFAULT, board_config_t, flasher, flasher_strings,
                     CYAML_ARRAY_LEN(flasher_strings)),
    CYAML_FIELD_STRING_PTR("flash_command", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
                           board_config_t, flash_command, 1, 1024),
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

board_config_t *board_config_load(const char *dir, const char *name, char *err, size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.yaml", dir, name);
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "unknown board '%s': no %s", name, path);
        return NULL;
    }
    fclose(f);
    board_config_t *b = NULL;
    cyaml_errors_reset();
    cyaml_err_t e =
        cyaml_load_file(path, &tlsrig_cyaml_config, &board_schema, (cyaml_data_t **)&b, NULL);
    if (e != CYAML_OK) {
        const char *why = cyaml_errors_text();
        snprintf(err, errlen, "%s: %s%s%s", path, cyaml_strerror(e), why[0] ? ": " : "", why);
        return NULL;
    }
    if (strcmp(b->name, name) != 0) {
        snprintf(err, errlen, "%s: key 'name' is '%s', expected '%s' (the file name)", path,
                 b->name, name);
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
