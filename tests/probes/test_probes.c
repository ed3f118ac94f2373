/* `tlsrig probes --json` under umockdev testbeds: one ST-Link V2-1 with its
 * VCP, two probes, a probe without its tty, a DFU device; the board match by
 * usb.serial; --write-board writes a file that then matches, and refuses to
 * overwrite. Runs the real binary under umockdev-run. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run_tlsrig.h"

#define NUCLEO_SERIAL "0669FF555052836687031234"

typedef tlsrig_run_t run_t;

static char *slurp(const char *path)
{
    char *text = slurp_file(path);
    cr_assert(text != NULL, "%s", path);
    return text;
}

/* umockdev-run on PATH, else skip the test. */
static void need_umockdev(void)
{
    const char *path = getenv("PATH");
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path ? path : "/usr/bin");
    for (char *save = NULL, *d = strtok_r(buf, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
        char exe[4200];
        snprintf(exe, sizeof exe, "%s/umockdev-run", d);
        if (access(exe, X_OK) == 0) {
            return;
        }
    }
    cr_skip_test("umockdev-run not installed (Debian package umockdev): probes tests skipped");
}

/* tlsrig probes ARGS... under the testbed tests/probes/testbeds/TESTBED.umockdev. */
static run_t probes(const char *testbed, const char *const *args)
{
    const char *src = getenv("TLSRIG_SOURCE_DIR"), *build = getenv("TLSRIG_BUILD_DIR");
    char bed[4200], bin[4200];
    snprintf(bed, sizeof bed, "%s/tests/probes/testbeds/%s.umockdev", src, testbed);
    snprintf(bin, sizeof bin, "%s/tlsrig", build);
    const char *argv[16] = {"umockdev-run", "-d", bed, "--", bin, "probes"};
    size_t n = 6;
    for (; args && *args && n < 15; args++) {
        argv[n++] = *args;
    }
    argv[n] = NULL;
    return run_program(argv);
}

static int exit_code(const run_t *r)
{
    return r->exit_code;
}

static void run_free(run_t *r)
{
    free(r->out);
    free(r->err);
}

/* The JSON array of `probes --json --boards-dir tests/probes/boards`. */
static json_t *listing(const char *testbed, const char *boards_dir)
{
    char dir[4200];
    if (!boards_dir) {
        snprintf(dir, sizeof dir, "%s/tests/probes/boards", getenv("TLSRIG_SOURCE_DIR"));
        boards_dir = dir;
    }
    const char *args[] = {"--json", "--boards-dir", boards_dir, NULL};
    run_t r = probes(testbed, args);
    cr_assert_eq(exit_code(&r), 0, "exit %d\n%s", exit_code(&r), r.err);
    json_error_t je;
    json_t *arr = json_loads(r.out, 0, &je);
    cr_assert(arr && json_is_array(arr), "not a JSON array: %s\n%s", je.text, r.out);
    run_free(&r);
    return arr;
}

static const char *str(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    cr_assert(v != NULL, "no key %s", k);
    return json_is_null(v) ? NULL : json_string_value(v);
}

static long long num(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    cr_assert(json_is_integer(v), "%s is not an integer", k);
    return json_integer_value(v);
}

static void expect_probe(json_t *p, const char *kind, int pid, const char *serial, int bus,
                         int address, const char *port, const char *board)
{
    cr_expect_str_eq(str(p, "kind"), kind);
    cr_expect_eq(num(p, "vid"), 0x0483);
    cr_expect_eq(num(p, "pid"), pid);
    cr_expect_str_eq(str(p, "serial"), serial);
    cr_expect_eq(num(p, "bus"), bus);
    cr_expect_eq(num(p, "address"), address);
    if (port) {
        cr_expect(str(p, "port") && strcmp(str(p, "port"), port) == 0, "port %s, want %s",
                  str(p, "port"), port);
    } else {
        cr_expect_null(str(p, "port"), "port %s, want null", str(p, "port"));
    }
    if (board) {
        cr_expect(str(p, "board") && strcmp(str(p, "board"), board) == 0, "board %s, want %s",
                  str(p, "board"), board);
    } else {
        cr_expect_null(str(p, "board"), "board %s, want null", str(p, "board"));
    }
}

Test(probes, one_v21_with_its_vcp_matches_the_board_naming_its_serial)
{
    need_umockdev();
    json_t *arr = listing("one-v21", NULL);
    cr_assert_eq(json_array_size(arr), 1);
    expect_probe(json_array_get(arr, 0), "stlink-v2-1", 0x374b, NUCLEO_SERIAL, 1, 5, "/dev/ttyACM0",
                 "nucleo-bench");
    json_decref(arr);
}

Test(probes, two_probes_each_with_its_own_vcp)
{
    need_umockdev();
    json_t *arr = listing("two", NULL);
    cr_assert_eq(json_array_size(arr), 2);
    /* sorted by bus and address; each VCP by bus and address, not by order */
    expect_probe(json_array_get(arr, 0), "stlink-v3", 0x374e, "002F00183232511939353236", 1, 4,
                 "/dev/ttyACM0", NULL);
    expect_probe(json_array_get(arr, 1), "stlink-v2-1", 0x374b, NUCLEO_SERIAL, 1, 9, "/dev/ttyACM1",
                 "nucleo-bench");
    json_decref(arr);
}

Test(probes, a_probe_without_its_tty_has_a_null_port)
{
    need_umockdev();
    json_t *arr = listing("no-tty", NULL);
    cr_assert_eq(json_array_size(arr), 1);
    expect_probe(json_array_get(arr, 0), "stlink-v2-1", 0x374b, NUCLEO_SERIAL, 1, 5, NULL,
                 "nucleo-bench");
    json_decref(arr);
}

Test(probes, a_dfu_device_is_listed_without_port_or_board)
{
    need_umockdev();
    json_t *arr = listing("dfu", NULL);
    cr_assert_eq(json_array_size(arr), 1);
    expect_probe(json_array_get(arr, 0), "dfu", 0xdf11, "375A38633438", 1, 6, NULL, NULL);
    json_decref(arr);
}

Test(probes, write_board_writes_a_file_that_matches_and_is_never_overwritten)
{
    need_umockdev();
    char dir[] = "/tmp/tlsrig-probes-XXXXXX";
    cr_assert(mkdtemp(dir) != NULL);
    const char *args[] = {"--write-board", "bench-1", "--boards-dir", dir, NULL};
    run_t r = probes("one-v21", args);
    cr_assert_eq(exit_code(&r), 0, "exit %d\n%s", exit_code(&r), r.err);
    run_free(&r);
    char path[4200];
    snprintf(path, sizeof path, "%s/bench-1.yaml", dir);
    char *first = slurp(path);
    cr_expect(strstr(first, "serial: \"" NUCLEO_SERIAL "\"") != NULL, "%s", first);
    cr_expect(strstr(first, "name: bench-1\n") != NULL, "%s", first);

    json_t *arr = listing("one-v21", dir);
    cr_assert_eq(json_array_size(arr), 1);
    cr_expect_str_eq(str(json_array_get(arr, 0), "board"), "bench-1");
    json_decref(arr);

    r = probes("one-v21", args);
    cr_expect_eq(exit_code(&r), 2, "exit %d\n%s", exit_code(&r), r.err);
    cr_expect(strstr(r.err, "exists") != NULL, "%s", r.err);
    run_free(&r);
    char *second = slurp(path);
    cr_expect_str_eq(second, first);
    free(first);
    free(second);
    unlink(path);
    cr_assert(rmdir(dir) == 0, "%s holds files other than the board: a temp file left?", dir);
}

Test(probes, write_board_refuses_an_unsafe_name_and_ambiguous_probes)
{
    need_umockdev();
    char dir[] = "/tmp/tlsrig-probes-XXXXXX";
    cr_assert(mkdtemp(dir) != NULL);
    const char *bad[] = {"--write-board", "../x", "--boards-dir", dir, NULL};
    run_t r = probes("one-v21", bad);
    cr_expect_eq(exit_code(&r), 2, "exit %d\n%s", exit_code(&r), r.err);
    run_free(&r);
    /* two probes: which one must be said */
    const char *two[] = {"--write-board", "b", "--boards-dir", dir, NULL};
    r = probes("two", two);
    cr_expect_eq(exit_code(&r), 3, "exit %d\n%s", exit_code(&r), r.err);
    cr_expect(strstr(r.err, "--serial") != NULL, "%s", r.err);
    run_free(&r);
    const char *chosen[] = {"--write-board", "b", "--serial", "002F00183232511939353236",
                            "--boards-dir",  dir, NULL};
    r = probes("two", chosen);
    cr_expect_eq(exit_code(&r), 0, "exit %d\n%s", exit_code(&r), r.err);
    run_free(&r);
    char path[4200];
    snprintf(path, sizeof path, "%s/b.yaml", dir);
    char *text = slurp(path);
    cr_expect(strstr(text, "pid: 0x374e") != NULL, "%s", text);
    free(text);
    unlink(path);
    cr_assert(rmdir(dir) == 0);
}

Test(probes, two_board_files_naming_one_serial_is_a_configuration_error)
{
    need_umockdev();
    char dir[] = "/tmp/tlsrig-probes-XXXXXX";
    cr_assert(mkdtemp(dir) != NULL);
    char a[4200], b[4200];
    snprintf(a, sizeof a, "%s/a.yaml", dir);
    snprintf(b, sizeof b, "%s/b.yaml", dir);
    const char *text = "name: x\nusb:\n  serial: \"" NUCLEO_SERIAL "\"\n";
    for (int i = 0; i < 2; i++) {
        FILE *f = fopen(i ? b : a, "w");
        cr_assert(f != NULL);
        cr_assert(fputs(text, f) >= 0);
        cr_assert(fclose(f) == 0);
    }
    const char *args[] = {"--json", "--boards-dir", dir, NULL};
    run_t r = probes("one-v21", args);
    cr_expect_eq(exit_code(&r), 2, "exit %d\n%s", exit_code(&r), r.err);
    cr_expect(strstr(r.err, "both name usb.serial " NUCLEO_SERIAL) != NULL, "%s", r.err);
    run_free(&r);
    unlink(a);
    unlink(b);
    cr_assert(rmdir(dir) == 0);
}

/* A quarantined board (docs/boards.md, "When a board stops answering") shows
 * on its probe: `quarantined` {since, reason, file} in JSON, null otherwise. */
Test(probes, a_quarantined_board_shows_on_its_probe)
{
    need_umockdev();
    char state[] = "/tmp/tlsrig-probes-state-XXXXXX", qdir[4200], file[4300];
    cr_assert(mkdtemp(state) != NULL);
    snprintf(qdir, sizeof qdir, "%s/quarantine", state);
    cr_assert(mkdir(qdir, 0755) == 0);
    snprintf(file, sizeof file, "%s/nucleo-bench.json", qdir);
    FILE *f = fopen(file, "w");
    cr_assert(f != NULL);
    cr_assert(fputs("{\"board\": \"nucleo-bench\", \"reason\": \"rediscover: failed\", "
                    "\"since\": \"2026-11-27T21:00:00Z\"}\n",
                    f) >= 0);
    cr_assert(fclose(f) == 0);
    setenv("TLSRIG_STATE_DIR", state, 1);
    json_t *arr = listing("two", NULL);
    bool seen = false;
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *p = json_array_get(arr, i);
        json_t *q = json_object_get(p, "quarantined");
        const char *board = str(p, "board");
        if (board && strcmp(board, "nucleo-bench") == 0) {
            seen = true;
            cr_expect_str_eq(json_string_value(json_object_get(q, "reason")), "rediscover: failed");
            cr_expect_str_eq(json_string_value(json_object_get(q, "file")), file);
        } else {
            cr_expect(json_is_null(q), "only nucleo-bench is quarantined");
        }
    }
    cr_expect(seen);
    json_decref(arr);
    const char *args[] = {"--boards-dir", NULL, NULL};
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/tests/probes/boards", getenv("TLSRIG_SOURCE_DIR"));
    args[1] = dir;
    run_t r = probes("one-v21", args);
    cr_expect(strstr(r.out, "nucleo-bench  QUARANTINED") != NULL, "%s", r.out);
    run_free(&r);
    unlink(file);
    rmdir(qdir);
    cr_assert(rmdir(state) == 0);
}
