/* End to end on the QEMU STM32F405 firmware: the real `tlsrig run --board
 * qemu-f405` boots the ELF in qemu-system-arm, checks HELLO's build id, seeds
 * the DRBG, runs handshakes, and decodes a HardFault. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e_util.h"

#define HAPPY "happy-ecdhe-rsa-aes128-gcm-p256"
/* RSA key exchange: the server signs nothing, so nothing the client verifies
 * depends on the server's clock (see instruction_counts_are_identical). */
#define RSA_KX "happy-rsa-aes128-gcm"
#define STALL "server-stalls"
/* The scenario of issue 13 whose count changed with what ran before it. */
#define ORDER_PROBE "happy-ecdhe-ecdsa-aes128-cbc-p256"

/* A scenarios dir with one catalog fixture: the rest of the catalog stays out
 * of this test's way and its time. */
static void one_scenario_dir(const char *scenario, const char *name, char *dir, size_t cap)
{
    e2e_tmpdir(name, dir, cap);
    char src[4096], dst[4200];
    snprintf(src, sizeof src, "%s/fixtures/scenarios/%s.yaml", getenv("TLSRIG_SOURCE_DIR"),
             scenario);
    snprintf(dst, sizeof dst, "%s/%s.yaml", dir, scenario);
    char *text = e2e_slurp(src);
    cr_assert(text != NULL, "missing %s", src);
    FILE *f = fopen(dst, "w");
    cr_assert(f != NULL);
    fputs(text, f);
    fclose(f);
    free(text);
}

/* `tlsrig run --board qemu-f405` on one scenario (its own QEMU boot). */
static json_t *run_one(const char *scenario, const char *name)
{
    char scen[4096], out[4096], stdout_file[4200], run_name[256];
    snprintf(run_name, sizeof run_name, "%s-scenarios", name);
    one_scenario_dir(scenario, run_name, scen, sizeof scen);
    e2e_tmpdir(name, out, sizeof out);
    snprintf(stdout_file, sizeof stdout_file, "%s/stdout.txt", out);
    const char *args[] = {"run", "--board", "qemu-f405", "--scenarios-dir",
                          scen,  "--out",   out,         NULL};
    int rc = e2e_run(stdout_file, args);
    json_t *results = e2e_results(out);
    cr_assert(results != NULL, "no results.jsonl in %s", out);
    cr_assert_eq(rc, 0, "tlsrig exited %d (see %s)", rc, stdout_file);
    json_t *r = json_incref(e2e_find(results, scenario));
    json_decref(results);
    cr_assert(r != NULL);
    return r;
}

static json_t *run_happy(const char *name)
{
    return run_one(HAPPY, name);
}

Test(qemu_e2e, handshake_passes_with_the_built_image)
{
    json_t *r = run_happy("qemu-happy");
    cr_assert_str_eq(json_string_value(json_object_get(r, "outcome")), "pass");
    cr_assert_str_eq(json_string_value(json_object_get(r, "board")), "qemu-f405");
    cr_assert(json_is_true(json_object_get(r, "expect_met")));

    /* HELLO's build id is the one the build wrote next to the ELF. */
    char path[4200];
    snprintf(path, sizeof path, "%s/images/tlsrig-agent-qemu-f405-sw-full.buildid",
             getenv("TLSRIG_BUILD_DIR"));
    char *want = e2e_slurp(path);
    cr_assert(want != NULL);
    want[strcspn(want, "\n")] = '\0';
    const char *got = json_string_value(json_object_get(json_object_get(r, "agent"), "build_id"));
    cr_assert(got != NULL);
    cr_assert_str_eq(got, want);
    free(want);

    /* Memory and instruction metrics come from the firmware. */
    cr_assert_gt(json_integer_value(json_object_get(r, "instructions")), 1000000);
    json_int_t heap = json_integer_value(json_object_get(r, "heap_peak"));
    cr_assert_gt(heap, 0);
    cr_assert_leq(heap, 65536);
    json_int_t stack = json_integer_value(json_object_get(r, "stack_peak"));
    cr_assert_gt(stack, 0);
    cr_assert_leq(stack, 16384);
    json_decref(r);

    /* flash/RAM use per image, from arm-none-eabi-size. */
    snprintf(path, sizeof path, "%s/images/tlsrig-agent-qemu-f405-sw-full.size.json",
             getenv("TLSRIG_BUILD_DIR"));
    json_error_t err;
    json_t *size = json_load_file(path, 0, &err);
    cr_assert(size != NULL, "%s: %s", path, err.text);
    json_int_t flash = json_integer_value(json_object_get(size, "flash_bytes"));
    cr_assert_gt(flash, 0);
    cr_assert_leq(flash, json_integer_value(json_object_get(size, "flash_total")));
    cr_assert_gt(json_integer_value(json_object_get(size, "sram_bytes")), 0);
    json_decref(size);
}

/* -icount shift=0 ties virtual time to instructions. Both sides are seeded
 * the same every run (host seed for the agent, test seed for the server), and
 * the firmware leaves out what depends on timing or the date (link and tunnel
 * I/O, log formatting, calendar conversion; docs/qemu.md), so two boots give
 * the very same count, although the link retransmits differ. */
Test(qemu_e2e, instruction_counts_are_identical)
{
    json_t *a = run_one(RSA_KX, "qemu-icount-a");
    json_t *b = run_one(RSA_KX, "qemu-icount-b");
    cr_assert_str_eq(json_string_value(json_object_get(a, "outcome")), "pass");
    cr_assert_str_eq(json_string_value(json_object_get(b, "outcome")), "pass");
    json_int_t ia = json_integer_value(json_object_get(a, "instructions"));
    json_int_t ib = json_integer_value(json_object_get(b, "instructions"));
    cr_assert_gt(ia, 1000000);
    cr_assert_eq(ia, ib, "instructions %lld vs %lld", (long long)ia, (long long)ib);
    /* The heap and stack peaks are deterministic too. */
    cr_assert_eq(json_integer_value(json_object_get(a, "heap_peak")),
                 json_integer_value(json_object_get(b, "heap_peak")));
    cr_assert_eq(json_integer_value(json_object_get(a, "stack_peak")),
                 json_integer_value(json_object_get(b, "stack_peak")));
    json_decref(a);
    json_decref(b);
}

/* The firmware sleeps in WFI while it waits for the link, and -icount
 * sleep=on lets virtual time follow real time then: a server that stalls 4 s
 * (real) exceeds the client's 1.5 s read timeout (virtual), as on sim. */
Test(qemu_e2e, read_timeouts_follow_real_time)
{
    json_t *r = run_one(STALL, "qemu-stall");
    cr_assert(json_is_true(json_object_get(r, "expect_met")), "%s",
              json_string_value(json_object_get(r, "outcome")));
    cr_assert_str_eq(json_string_value(json_object_get(r, "mbedtls_error")),
                     "MBEDTLS_ERR_SSL_TIMEOUT");
    json_decref(r);
}

/* Each scenario gets its own TEST ONLY seeds and a fresh heap: its count is
 * the same alone in a boot and after other scenarios (a big chain with 16 KB
 * records, a failed verification) in the same boot, so a partial run can be
 * compared with a whole-catalog baseline. */
Test(qemu_e2e, instruction_counts_do_not_depend_on_what_ran_before)
{
    json_t *alone = run_one(ORDER_PROBE, "qemu-order-alone");

    char out[4096], stdout_file[4200];
    e2e_tmpdir("qemu-order-after", out, sizeof out);
    snprintf(stdout_file, sizeof stdout_file, "%s/stdout.txt", out);
    const char *args[] = {"run",
                          "--board",
                          "qemu-f405",
                          "--scenario",
                          "big-chain-full-records",
                          "--scenario",
                          "cert-expired",
                          "--scenario",
                          ORDER_PROBE,
                          "--out",
                          out,
                          NULL};
    /* The others' outcomes do not matter here (on a loaded host the big
     * chain can time out); that they ran before the probe does. */
    int rc = e2e_run(stdout_file, args);
    cr_assert(rc == 0 || rc == 1, "tlsrig exited %d (see %s)", rc, stdout_file);
    json_t *results = e2e_results(out);
    cr_assert(results != NULL);
    json_t *after = e2e_find(results, ORDER_PROBE);
    cr_assert(after != NULL);
    cr_assert_str_eq(json_string_value(json_object_get(after, "outcome")), "pass");
    /* The others really ran first, in the same boot. */
    json_int_t probe_start = json_integer_value(json_object_get(after, "started_us"));
    static const char *const before[] = {"big-chain-full-records", "cert-expired"};
    for (size_t i = 0; i < 2; i++) {
        json_t *r = e2e_find(results, before[i]);
        cr_assert(r != NULL, "%s missing", before[i]);
        cr_assert_lt(json_integer_value(json_object_get(r, "started_us")), probe_start,
                     "%s did not run before the probe", before[i]);
    }
    static const char *const exact[] = {"instructions", "heap_peak", "stack_peak",
                                        "bytes_in",     "bytes_out", "handshake_steps"};
    for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++) {
        json_int_t a = json_integer_value(json_object_get(alone, exact[i]));
        json_int_t b = json_integer_value(json_object_get(after, exact[i]));
        cr_assert_gt(a, 0, "%s missing", exact[i]);
        cr_assert_eq(a, b, "%s: %lld alone, %lld after other scenarios", exact[i], (long long)a,
                     (long long)b);
    }
    json_decref(results);
    json_decref(alone);
}

Test(qemu_e2e, hardfault_is_reported_and_decoded)
{
    char out[4096], stdout_file[4200], scen[4200];
    e2e_tmpdir("qemu-fault", out, sizeof out);
    snprintf(stdout_file, sizeof stdout_file, "%s/stdout.txt", out);
    snprintf(scen, sizeof scen, "%s/tests/qemu/scenarios", getenv("TLSRIG_SOURCE_DIR"));
    const char *args[] = {"run", "--board",   "qemu-f405", "--scenarios-dir",
                          scen,  "--retries", "0",         "--out",
                          out,   NULL};
    int rc = e2e_run(stdout_file, args);
    cr_assert_neq(rc, 0);
    json_t *results = e2e_results(out);
    cr_assert(results != NULL);
    json_t *crash = e2e_find(results, "qemu-1-crash");
    cr_assert(crash != NULL);
    cr_assert_str_eq(json_string_value(json_object_get(crash, "outcome")), "infra-error");
    const char *why = json_string_value(json_object_get(crash, "infra_error"));
    cr_assert(why != NULL);
    cr_assert(strstr(why, "precise data bus error at 0x60000000") != NULL, "%s", why);
    cr_assert(strstr(why, "injected_bad_read") != NULL, "%s", why);
    /* The rig restarted QEMU and went on. */
    json_t *after = e2e_find(results, "qemu-2-after-crash");
    cr_assert(after != NULL);
    cr_assert_str_eq(json_string_value(json_object_get(after, "outcome")), "pass");
    json_decref(results);

    char console[4300];
    snprintf(console, sizeof console, "%s/logs/console-tlsrig-agent-qemu-f405-sw-full.log", out);
    char *text = e2e_slurp(console);
    cr_assert(text != NULL);
    cr_assert(strstr(text, "tlsrig: decoded fault report") != NULL);
    cr_assert(strstr(text, "cmd_handshake at") != NULL, "%s", text);
    free(text);
}

/* Issue 16: the Cortex-M firmware (newlib-nano) sends compact debug records
 * too, and the host renders them into the same bytes as its text path. With
 * --log-wire both the agent sends both forms of every debug call of one
 * handshake; the two files must be identical. */
Test(qemu_e2e, compact_log_renders_the_text_path_log)
{
    char scen[4096], out[4096], stdout_file[4200];
    one_scenario_dir(HAPPY, "qemu-logwire-scenarios", scen, sizeof scen);
    e2e_tmpdir("qemu-logwire", out, sizeof out);
    snprintf(stdout_file, sizeof stdout_file, "%s/stdout.txt", out);
    const char *args[] = {"run", "--board",    "qemu-f405", "--scenarios-dir",
                          scen,  "--log-wire", "both",      "--out",
                          out,   NULL};
    int rc = e2e_run(stdout_file, args);
    cr_assert_eq(rc, 0, "tlsrig exited %d (see %s)", rc, stdout_file);
    json_t *results = e2e_results(out);
    json_t *r = e2e_find(results, HAPPY);
    cr_assert_not_null(r);
    json_t *link = json_object_get(r, "link");
    cr_assert_str_eq(json_string_value(json_object_get(link, "log_format")), "both");
    cr_assert_eq(json_integer_value(json_object_get(link, "log_undecoded")), 0);
    char text_path[4400], records_path[4500];
    snprintf(text_path, sizeof text_path, "%s/%s", out,
             json_string_value(json_object_get(r, "log")));
    snprintf(records_path, sizeof records_path, "%s.records", text_path);
    char *text = e2e_slurp(text_path);
    char *records = e2e_slurp(records_path);
    cr_assert(text && records, "missing %s or its .records", text_path);
    cr_assert_gt(strlen(text), 10000u, "a level-3 handshake log is longer");
    cr_assert_str_eq(records, text, "the records' rendering differs from the text path");
    free(text);
    free(records);
    json_decref(results);
}
