/* Probe discovery on libusb (enumeration only) and libserialport (the VCP).
 * The serial number comes from sysfs, the kernel's copy of the string
 * descriptor: reading it through libusb would mean opening the device and a
 * control transfer, and listing must not touch the probe. */
#define _POSIX_C_SOURCE 200809L
#include "probe.h"

#include <dirent.h>
#include <libserialport.h>
#include <libusb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

typedef struct known_id {
    uint16_t pid;
    probe_kind_t kind;
} known_id_t;

#define ST_VID 0x0483

static const known_id_t k_ids[] = {
    {0x3748, PROBE_STLINK_V2}, {0x374b, PROBE_STLINK_V2_1}, {0x3752, PROBE_STLINK_V2_1},
    {0x374e, PROBE_STLINK_V3}, {0x374f, PROBE_STLINK_V3},   {0x3753, PROBE_STLINK_V3},
    {0x3754, PROBE_STLINK_V3}, {0xdf11, PROBE_DFU},
};

size_t probe_known_pids(uint16_t *pids, size_t cap)
{
    size_t n = sizeof k_ids / sizeof k_ids[0];
    for (size_t i = 0; i < n && i < cap; i++) {
        pids[i] = k_ids[i].pid;
    }
    return n;
}

const char *probe_kind_name(probe_kind_t kind)
{
    switch (kind) {
    case PROBE_STLINK_V2:
        return "stlink-v2";
    case PROBE_STLINK_V2_1:
        return "stlink-v2-1";
    case PROBE_STLINK_V3:
        return "stlink-v3";
    case PROBE_DFU:
        return "dfu";
    }
    return "unknown";
}

static const known_id_t *known(uint16_t vid, uint16_t pid)
{
    for (size_t i = 0; vid == ST_VID && i < sizeof k_ids / sizeof k_ids[0]; i++) {
        if (k_ids[i].pid == pid) {
            return &k_ids[i];
        }
    }
    return NULL;
}

static int read_int_attr(const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "/sys/bus/usb/devices/%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    int v = -1;
    if (f) {
        if (fscanf(f, "%d", &v) != 1) {
            v = -1;
        }
        fclose(f);
    }
    return v;
}

/* The sysfs device with this bus number and address (interfaces, named
 * "1-2:1.0", are skipped), and its serial attribute. Matching on busnum and
 * devnum rather than building "1-2.3" from libusb's port numbers also works
 * when the hubs in between are not known. */
static void sysfs_serial(int bus, int address, char *serial, size_t len)
{
    serial[0] = '\0';
    DIR *d = opendir("/sys/bus/usb/devices");
    if (!d) {
        return;
    }
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.' || strchr(e->d_name, ':') || strlen(e->d_name) > 200 ||
            read_int_attr(e->d_name, "busnum") != bus ||
            read_int_attr(e->d_name, "devnum") != address) {
            continue;
        }
        char path[512];
        snprintf(path, sizeof path, "/sys/bus/usb/devices/%s/serial", e->d_name);
        FILE *f = fopen(path, "r");
        if (f) {
            if (fgets(serial, (int)len, f)) {
                serial[strcspn(serial, "\r\n")] = '\0';
            } else {
                serial[0] = '\0';
            }
            fclose(f);
        }
        break;
    }
    closedir(d);
}

/* The VCP of a probe: the USB serial port on the same bus and address. */
static void find_port(struct sp_port **ports, probe_info_t *p)
{
    p->port[0] = '\0';
    for (size_t i = 0; ports && ports[i]; i++) {
        int bus = -1, address = -1;
        if (sp_get_port_transport(ports[i]) != SP_TRANSPORT_USB ||
            sp_get_port_usb_bus_address(ports[i], &bus, &address) != SP_OK) {
            continue;
        }
        if (bus == p->bus && address == p->address) {
            snprintf(p->port, sizeof p->port, "%s", sp_get_port_name(ports[i]));
            return;
        }
    }
}

static int by_bus_address(const void *a, const void *b)
{
    const probe_info_t *x = a, *y = b;
    return x->bus != y->bus ? x->bus - y->bus : x->address - y->address;
}

int probe_list(probe_info_t **out, size_t *count, char *err, size_t errlen)
{
    int rc = -1;
    *out = NULL;
    *count = 0;
    libusb_context *ctx = NULL;
    libusb_device **devs = NULL;
    struct sp_port **ports = NULL;
    probe_info_t *list = NULL;
    int r = libusb_init(&ctx);
    if (r != 0) {
        snprintf(err, errlen, "libusb: %s", libusb_strerror(r));
        ctx = NULL;
        goto cleanup;
    }
    ssize_t n = libusb_get_device_list(ctx, &devs);
    if (n < 0) {
        snprintf(err, errlen, "libusb: cannot list devices: %s", libusb_strerror((int)n));
        goto cleanup;
    }
    /* No USB serial port at all is not an error: the probes list without. */
    if (sp_list_ports(&ports) != SP_OK) {
        ports = NULL;
    }
    list = calloc((size_t)n + 1, sizeof *list);
    if (!list) {
        snprintf(err, errlen, "out of memory");
        goto cleanup;
    }
    size_t found = 0;
    for (ssize_t i = 0; i < n; i++) {
        struct libusb_device_descriptor d;
        if (libusb_get_device_descriptor(devs[i], &d) != 0) {
            continue;
        }
        const known_id_t *id = known(d.idVendor, d.idProduct);
        if (!id) {
            continue;
        }
        probe_info_t *p = &list[found++];
        p->kind = id->kind;
        p->vid = d.idVendor;
        p->pid = d.idProduct;
        p->bus = libusb_get_bus_number(devs[i]);
        p->address = libusb_get_device_address(devs[i]);
        sysfs_serial(p->bus, p->address, p->serial, sizeof p->serial);
        if (p->kind != PROBE_DFU) {
            find_port(ports, p);
        }
    }
    qsort(list, found, sizeof *list, by_bus_address);
    *out = list;
    *count = found;
    list = NULL;
    rc = 0;
cleanup:
    free(list);
    if (ports) {
        sp_free_port_list(ports);
    }
    if (devs) {
        libusb_free_device_list(devs, 1);
    }
    if (ctx) {
        libusb_exit(ctx);
    }
    return rc;
}

/* Walks the YAML events with a small stack of open containers; the answer
 * is the scalar under key "serial" of the mapping under top-level key "usb". */
typedef struct yaml_level {
    int is_map;
    int expect_key;
    char key[32];
} yaml_level_t;

int probe_board_usb_serial(const char *path, char *serial, size_t len, char *err, size_t errlen)
{
    int rc = -1;
    serial[0] = '\0';
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open", path);
        return -1;
    }
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_file(&parser, f);
    yaml_level_t st[16];
    int depth = 0; /* open containers; st[depth - 1] is the innermost */
    for (int done = 0; !done;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            snprintf(err, errlen, "%s:%zu: %s", path, parser.problem_mark.line + 1,
                     parser.problem ? parser.problem : "invalid YAML");
            goto cleanup;
        }
        yaml_level_t *top = depth > 0 ? &st[depth - 1] : NULL;
        switch (ev.type) {
        case YAML_MAPPING_START_EVENT:
        case YAML_SEQUENCE_START_EVENT:
            if (depth == (int)(sizeof st / sizeof st[0])) {
                snprintf(err, errlen, "%s: nested too deeply", path);
                yaml_event_delete(&ev);
                goto cleanup;
            }
            st[depth].is_map = ev.type == YAML_MAPPING_START_EVENT;
            st[depth].expect_key = st[depth].is_map;
            st[depth].key[0] = '\0';
            depth++;
            break;
        case YAML_MAPPING_END_EVENT:
        case YAML_SEQUENCE_END_EVENT:
            depth--;
            if (depth > 0 && st[depth - 1].is_map) {
                st[depth - 1].expect_key = 1; /* the container was a value */
            }
            break;
        case YAML_SCALAR_EVENT:
            if (top && top->is_map && top->expect_key) {
                snprintf(top->key, sizeof top->key, "%s", (const char *)ev.data.scalar.value);
                top->expect_key = 0;
            } else if (top && top->is_map) {
                if (depth == 2 && strcmp(st[0].key, "usb") == 0 &&
                    strcmp(top->key, "serial") == 0) {
                    snprintf(serial, len, "%s", (const char *)ev.data.scalar.value);
                }
                top->expect_key = 1;
            }
            break;
        case YAML_STREAM_END_EVENT:
            done = 1;
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
    }
    rc = 0;
cleanup:
    yaml_parser_delete(&parser);
    fclose(f);
    return rc;
}
