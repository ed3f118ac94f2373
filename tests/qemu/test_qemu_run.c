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

/* A scenarios dir with just the happy-path fixture: other catalog entries
 * stay out of this test's way and its time. */
static void happy_dir(const char *name, char *dir, size_t cap)
{
    e2e_tmpdir(name, dir, cap);
    char src[4096], dst[4200];
    snprintf(src, sizeof src, "%s/fixtures/scenarios/" HAPPY ".yaml", getenv("TLSRIG_SOURCE_DIR"));
    snprintf(dst, sizeof dst, "%s/" HAPPY ".yaml", dir);
    char *text = e2e_slurp(src);
    cr_assert(text != NULL, "missing %s", src);
    FILE *f = fopen(dst, "w");
    cr_assert(f != NULL);
    fputs(text, f);
    fclose(f);
    free(text);
}

static json_t *run_happy(const char *name)
{
    char scen[4096], out[4096], stdout_file[4200];
    snprintf(scen, sizeof scen, "%s-scenarios", name);
    happy_dir(scen, scen, sizeof scen);
    e2e_tmpdir(name, out, sizeof out);
    snprintf(stdout_file, sizeof stdout_file, "%s/stdout.txt", out);
    const char *args[] = {"run", "--board", "qemu-f405", "--scenarios-dir",
                          scen,  "--out",   out,         NULL};
    int rc = e2e_run(stdout_file, args);
    json_t *results = e2e_results(out);
    cr_assert(results != NULL, "no results.jsonl in %s", out);
    cr_assert_eq(rc, 0, "tlsrig exited %d (see %s)", rc, stdout_file);
    json_t *r = json_incref(e2e_find(results, HAPPY));
    json_decref(results);
    cr_assert(r != NULL);
    return r;
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

/* -icount shift=0 ties virtual time to instructions, and the firmware leaves
 * link waits out of the count. The client side is seeded identically on every
 * boot, but the server's DRBG is not (its ECDHE key and random differ per
 * run), so the count of two runs may differ by the data-dependent part of the
 * client's big-number arithmetic: bounded here at 1 % (docs/qemu.md). */
Test(qemu_e2e, instruction_counts_repeat)
{
    json_t *a = run_happy("qemu-icount-a");
    json_t *b = run_happy("qemu-icount-b");
    json_int_t ia = json_integer_value(json_object_get(a, "instructions"));
    json_int_t ib = json_integer_value(json_object_get(b, "instructions"));
    cr_assert_gt(ia, 0);
    cr_assert_gt(ib, 0);
    json_int_t diff = ia > ib ? ia - ib : ib - ia;
    cr_assert_lt(diff * 100, ia, "instructions %lld vs %lld", (long long)ia, (long long)ib);
    json_decref(a);
    json_decref(b);
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
