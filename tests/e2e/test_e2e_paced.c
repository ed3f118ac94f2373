/* End to end on the paced sim lines (rig-config/boards/sim-uart-*.yaml): a
 * happy handshake and an expected failure meet their expectations, the
 * result records the line, and the run took at least the time the line needs
 * for the bytes it carried (pacing is in place, never bypassed). */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "e2e_util.h"

static void run_on(const char *board, json_int_t baud)
{
    char out[4096], stdout_file[4200];
    e2e_tmpdir(board, out, sizeof out);
    snprintf(stdout_file, sizeof stdout_file, "%s.stdout", out);
    const char *args[] = {"run",
                          "--board",
                          board,
                          "--backend",
                          "sw",
                          "--scenario",
                          "happy-ecdhe-ecdsa-aes128-gcm-p256",
                          "--scenario",
                          "unknown-ca",
                          "--out",
                          out,
                          NULL};
    int rc = e2e_run(stdout_file, args);
    cr_assert_eq(rc, 0, "tlsrig run --board %s exited %d (see %s)", board, rc, stdout_file);
    json_t *res = e2e_targets(e2e_results(out));
    cr_assert_not_null(res);
    cr_assert_eq(json_array_size(res), 2);
    size_t i;
    json_t *r;
    json_array_foreach(res, i, r)
    {
        const char *name = json_string_value(json_object_get(r, "scenario"));
        cr_expect(json_is_true(json_object_get(r, "expect_met")), "%s: expectation not met", name);
        json_t *line = json_object_get(json_object_get(r, "link"), "line");
        cr_assert(json_is_object(line), "%s: no link.line", name);
        cr_expect_eq(json_integer_value(json_object_get(line, "baud")), baud);
        cr_expect_eq(json_integer_value(json_object_get(line, "turnaround_ms")), 1);
        cr_expect_eq(json_integer_value(json_object_get(json_object_get(r, "agent"), "link_baud")),
                     baud, "the agent reports its line's baud in HELLO");
        /* The bytes the host received needed at least this long on the line. */
        double rx =
            (double)json_integer_value(json_object_get(json_object_get(r, "link"), "bytes_rx"));
        double line_ms = rx * 10.0 / (double)baud * 1000.0;
        double took = json_real_value(json_object_get(r, "duration_ms"));
        cr_expect(rx > 1000.0, "%s: the link carried %.0f bytes", name, rx);
        cr_expect_geq(took, line_ms, "%s: %.0f bytes took %.1f ms, the line needs %.1f ms", name,
                      rx, took, line_ms);
    }
    json_t *bad = e2e_find(res, "unknown-ca");
    cr_assert_not_null(bad);
    cr_expect_str_eq(json_string_value(json_object_get(bad, "outcome")), "fail");
    json_decref(res);
}

Test(e2e_paced, sim_uart_921600_meets_expectations_at_line_rate, .timeout = 240)
{
    run_on("sim-uart-921600", 921600);
}

Test(e2e_paced, sim_uart_115200_meets_expectations_at_line_rate, .timeout = 240)
{
    run_on("sim-uart-115200", 115200);
}
