/* Quarantine through the command line: `tlsrig run --board sim` refuses a
 * quarantined board with exit 3 before anything runs, naming the state file,
 * the reason and the way out; `tlsrig list` shows it; `tlsrig unquarantine`
 * clears it (0), says when there was nothing to clear (0) and refuses an
 * unknown board (2). */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "quarantine.h"
#include "run_tlsrig.h"

static char g_state[4200];

static void setup(void)
{
    fresh_dir("quarantine-cli-state", g_state, sizeof g_state);
    setenv("TLSRIG_STATE_DIR", g_state, 1);
    char err[512];
    cr_assert_eq(
        quarantine_put("sim", "resync: failed: no HELLO within 5000 ms\n", err, sizeof err), 0,
        "%s", err);
}

TestSuite(quarantine_cli, .init = setup);

static tlsrig_run_t tl(const char *a, const char *b, const char *c, const char *d)
{
    const char *args[] = {a, b, c, d, NULL};
    return run_tlsrig(args);
}

Test(quarantine_cli, run_refuses_with_exit_3_and_names_file_reason_and_remedy)
{
    char out[4300];
    fresh_dir("quarantine-cli-run", out, sizeof out);
    tlsrig_run_t r = tl("run", "--board", "sim", NULL);
    cr_expect_eq(r.exit_code, 3, "%s", r.err);
    char file[4400];
    snprintf(file, sizeof file, "%s/quarantine/sim.json", g_state);
    cr_expect(strstr(r.err, file) != NULL, "names the file: %s", r.err);
    cr_expect(strstr(r.err, "resync: failed: no HELLO within 5000 ms") != NULL, "%s", r.err);
    cr_expect(strstr(r.err, "tlsrig unquarantine sim") != NULL, "%s", r.err);
    cr_expect(strstr(r.out, "taking the lock") == NULL && strstr(r.out, "PASS") == NULL,
              "nothing ran: %s", r.out);
    run_tlsrig_free(&r);
}

Test(quarantine_cli, run_list_still_lists)
{
    tlsrig_run_t r = tl("run", "--board", "sim", "--list");
    cr_expect_eq(r.exit_code, 0, "%s", r.err);
    run_tlsrig_free(&r);
}

Test(quarantine_cli, list_shows_it)
{
    tlsrig_run_t r = tl("list", "--json", NULL, NULL);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    json_error_t je;
    json_t *arr = json_loads(r.out, 0, &je);
    cr_assert_not_null(arr, "%s", je.text);
    bool seen = false;
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *b = json_array_get(arr, i);
        json_t *q = json_object_get(b, "quarantined");
        if (strcmp(json_string_value(json_object_get(b, "name")), "sim") == 0) {
            seen = true;
            cr_expect(json_is_object(q));
            cr_expect(strstr(json_string_value(json_object_get(q, "reason")), "resync") != NULL);
        } else {
            cr_expect(json_is_null(q), "only sim is quarantined");
        }
    }
    cr_expect(seen);
    json_decref(arr);
    run_tlsrig_free(&r);
    r = tl("list", NULL, NULL, NULL);
    cr_expect(strstr(r.out, "QUARANTINED") && strstr(r.out, "tlsrig unquarantine sim"), "%s",
              r.out);
    run_tlsrig_free(&r);
}

Test(quarantine_cli, unquarantine_clears_then_says_nothing_to_clear)
{
    tlsrig_run_t r = tl("unquarantine", "sim", NULL, NULL);
    cr_expect_eq(r.exit_code, 0, "%s", r.err);
    cr_expect(strstr(r.out, "quarantine cleared") != NULL, "%s", r.out);
    run_tlsrig_free(&r);
    quarantine_info_t q;
    char err[512];
    cr_assert_eq(quarantine_get("sim", &q, err, sizeof err), 0);
    cr_expect_not(q.quarantined);
    r = tl("unquarantine", "sim", NULL, NULL);
    cr_expect_eq(r.exit_code, 0, "%s", r.err);
    cr_expect(strstr(r.out, "not quarantined") != NULL, "%s", r.out);
    run_tlsrig_free(&r);
}

Test(quarantine_cli, unknown_board_or_bad_usage_is_2)
{
    tlsrig_run_t r = tl("unquarantine", "no-such-board", NULL, NULL);
    cr_expect_eq(r.exit_code, 2, "%s", r.err);
    cr_expect(strstr(r.err, "unknown board") != NULL, "%s", r.err);
    run_tlsrig_free(&r);
    r = tl("unquarantine", "../x", NULL, NULL);
    cr_expect_eq(r.exit_code, 2);
    run_tlsrig_free(&r);
    r = tl("unquarantine", NULL, NULL, NULL);
    cr_expect_eq(r.exit_code, 2);
    run_tlsrig_free(&r);
}

Test(quarantine_cli, a_quarantine_file_without_a_board_file_can_be_cleared)
{
    char err[512];
    cr_assert_eq(quarantine_put("retired-board", "x", err, sizeof err), 0, "%s", err);
    tlsrig_run_t r = tl("unquarantine", "retired-board", NULL, NULL);
    cr_expect_eq(r.exit_code, 0, "%s", r.err);
    run_tlsrig_free(&r);
}
