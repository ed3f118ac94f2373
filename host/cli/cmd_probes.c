/* tlsrig probes: the ST-Link probes and DFU devices attached, their virtual
 * COM ports and the configured boards they belong to; --write-board writes a
 * board file for one of them (docs/boards.md). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "board_config.h"
#include "commands.h"
#include "probe.h"
#include "quarantine.h"
#include "recovery_record.h"
#include "safe_name.h"

typedef struct probes_opts {
    int json;
    const char *write_board;
    const char *serial;
    const char *boards_dir;
} probes_opts_t;

static int usage(void)
{
    fprintf(stderr, "usage: tlsrig probes [--json] [--write-board NAME [--serial S]] "
                    "[--boards-dir DIR]\n");
    return 2;
}

/* The board whose usb.serial names each probe, into boards[i] ("" if none).
 * Returns 0, or 2 when a board file cannot be read (after naming it). */
static int match_boards(const char *dir, const probe_info_t *p, size_t n, char (*boards)[65])
{
    int rc = 0;
    char **names = NULL;
    size_t count = board_config_list(dir, &names);
    for (size_t i = 0; i < n; i++) {
        boards[i][0] = '\0';
    }
    for (size_t b = 0; b < count; b++) {
        char path[4400], serial[128], err[4600];
        snprintf(path, sizeof path, "%s/%s.yaml", dir, names[b]);
        if (probe_board_usb_serial(path, serial, sizeof serial, err, sizeof err) != 0) {
            fprintf(stderr, "tlsrig probes: %s\n", err);
            rc = 2;
        }
        for (size_t i = 0; serial[0] && i < n; i++) {
            if (strcmp(p[i].serial, serial) != 0) {
                continue;
            }
            if (boards[i][0]) { /* a probe belongs to one board */
                fprintf(stderr,
                        "tlsrig probes: %s/%s.yaml and %s/%s.yaml both name usb.serial %s\n", dir,
                        boards[i], dir, names[b], serial);
                rc = 2;
            } else {
                snprintf(boards[i], sizeof boards[i], "%s", names[b]);
            }
        }
        free(names[b]);
    }
    free(names);
    return rc;
}

static json_t *nullable(const char *s)
{
    return s[0] ? json_string(s) : json_null();
}

/* The quarantine state of the board a probe belongs to. */
static void quarantine_of(const char *board, quarantine_info_t *q)
{
    char err[512];
    if (!board[0] || quarantine_get(board, q, err, sizeof err) != 0) {
        memset(q, 0, sizeof *q);
    }
}

static void print_list(const probe_info_t *p, size_t n, char (*boards)[65], int as_json)
{
    static quarantine_info_t q;
    if (!as_json) {
        if (n == 0) {
            printf("no ST-Link probe or STM32 DFU device attached\n");
        }
        for (size_t i = 0; i < n; i++) {
            quarantine_of(boards[i], &q);
            printf("%-12s %04x:%04x  %-26s bus %03d addr %03d  %-14s %s%s\n",
                   probe_kind_name(p[i].kind), p[i].vid, p[i].pid,
                   p[i].serial[0] ? p[i].serial : "(no serial)", p[i].bus, p[i].address,
                   p[i].port[0] ? p[i].port : "(no port)", boards[i][0] ? boards[i] : "-",
                   q.quarantined ? "  QUARANTINED" : "");
        }
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "kind", json_string(probe_kind_name(p[i].kind)));
        json_object_set_new(o, "vid", json_integer(p[i].vid));
        json_object_set_new(o, "pid", json_integer(p[i].pid));
        json_object_set_new(o, "serial", nullable(p[i].serial));
        json_object_set_new(o, "bus", json_integer(p[i].bus));
        json_object_set_new(o, "address", json_integer(p[i].address));
        json_object_set_new(o, "port", nullable(p[i].port));
        json_object_set_new(o, "board", nullable(boards[i]));
        quarantine_of(boards[i], &q);
        json_object_set_new(o, "quarantined", quarantine_info_json(&q));
        json_array_append_new(arr, o);
    }
    json_dumpf(arr, stdout, JSON_INDENT(2));
    putchar('\n');
    json_decref(arr);
}

/* The probe --write-board describes: the one with --serial, else the only
 * ST-Link attached. */
static const probe_info_t *pick(const probe_info_t *p, size_t n, const char *serial)
{
    const probe_info_t *found = NULL;
    size_t stlinks = 0;
    for (size_t i = 0; i < n; i++) {
        if (serial ? strcmp(p[i].serial, serial) == 0 : p[i].kind != PROBE_DFU) {
            found = &p[i];
            stlinks++;
        }
    }
    if (stlinks != 1) {
        if (serial) {
            fprintf(stderr, "tlsrig probes: no attached probe has serial %s\n", serial);
        } else {
            fprintf(stderr,
                    "tlsrig probes: --write-board needs exactly one ST-Link attached (%zu "
                    "are); choose one with --serial\n",
                    stlinks);
        }
        return NULL;
    }
    if (!found->serial[0]) {
        fprintf(stderr, "tlsrig probes: the probe on bus %d address %d has no serial number\n",
                found->bus, found->address);
        return NULL;
    }
    return found;
}

/* Writes <dir>/<name>.yaml through a temporary file and link(), which, unlike
 * rename(), refuses to replace a file that exists. */
static int write_board(const char *dir, const char *name, const probe_info_t *p)
{
    int rc = 3;
    char tmp[4400], path[4400]; /* dir (< 4200) and a safe name (<= 64) */
    snprintf(tmp, sizeof tmp, "%s/.%s.yaml.XXXXXX", dir, name);
    snprintf(path, sizeof path, "%s/%s.yaml", dir, name);
    if (access(path, F_OK) == 0) {
        fprintf(stderr, "tlsrig probes: %s exists; not overwritten\n", path);
        return 2;
    }
    int fd = mkstemp(tmp);
    if (fd < 0) {
        fprintf(stderr, "tlsrig probes: cannot create a file in %s: %s\n", dir, strerror(errno));
        return 3;
    }
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        goto cleanup;
    }
    fprintf(f,
            "# Written by `tlsrig probes --write-board %s` for the %s probe %s.\n"
            "# Check the flasher, backends and link, then run `tlsrig flash --board %s`.\n"
            "name: %s\n"
            "description: STM32 board behind %s %s\n"
            "kind: board\n"
            "flasher: %s\n"
            "backends: [sw]\n"
            "link:\n"
            "  transport: serial\n"
            "  address: auto\n"
            "  baud: 115200\n"
            "usb:\n"
            "  vid: 0x%04x\n"
            "  pid: 0x%04x\n"
            "  serial: \"%s\"\n"
            "timeouts:\n"
            "  hello_ms: 10000\n"
            "  scenario_ms: 120000\n"
            "  restart_ms: 15000\n",
            name, probe_kind_name(p->kind), p->serial, name, name, probe_kind_name(p->kind),
            p->serial, p->kind == PROBE_DFU ? "dfu" : "stlink", p->vid, p->pid, p->serial);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        fprintf(stderr, "tlsrig probes: cannot write %s: %s\n", tmp, strerror(errno));
        goto cleanup;
    }
    if (link(tmp, path) != 0) {
        fprintf(stderr, "tlsrig probes: cannot create %s: %s\n", path, strerror(errno));
        rc = errno == EEXIST ? 2 : 3;
        goto cleanup;
    }
    printf("%s\n", path);
    rc = 0;
cleanup:
    unlink(tmp);
    return rc;
}

static int parse(int argc, char **argv, probes_opts_t *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--json") == 0) {
            o->json = 1;
        } else if (strcmp(a, "--write-board") == 0 && i + 1 < argc) {
            o->write_board = argv[++i];
        } else if (strcmp(a, "--serial") == 0 && i + 1 < argc) {
            o->serial = argv[++i];
        } else if (strcmp(a, "--boards-dir") == 0 && i + 1 < argc) {
            o->boards_dir = argv[++i];
        } else {
            return -1;
        }
    }
    if (o->serial && !o->write_board) {
        return -1;
    }
    if (o->write_board && !safe_name_valid(o->write_board)) {
        fprintf(stderr, "tlsrig probes: board name '%s': %s\n", o->write_board,
                safe_name_problem(o->write_board));
        return -1;
    }
    return 0;
}

int cmd_probes(int argc, char **argv)
{
    probes_opts_t o = {0};
    if (parse(argc, argv, &o) != 0) {
        return usage();
    }
    char dir[4200], err[512];
    if (o.boards_dir) {
        snprintf(dir, sizeof dir, "%s", o.boards_dir);
    } else {
        snprintf(dir, sizeof dir, "%s/rig-config/boards", cli_source_dir());
    }
    probe_info_t *p = NULL;
    size_t n = 0;
    if (probe_list(&p, &n, err, sizeof err) != 0) {
        fprintf(stderr, "tlsrig probes: %s\n", err);
        return 3;
    }
    int rc;
    if (o.write_board) {
        const probe_info_t *one = pick(p, n, o.serial);
        rc = one ? write_board(dir, o.write_board, one) : 3;
    } else {
        char(*boards)[65] = calloc(n + 1, sizeof *boards);
        if (!boards) {
            free(p);
            return 3;
        }
        rc = match_boards(dir, p, n, boards);
        print_list(p, n, boards, o.json);
        free(boards);
    }
    free(p);
    return rc;
}
