/* The NUCLEO-F439ZI images of this build: every profile (on mbedtls-3.6 and wolfssl too:
 * TLSRIG_PROFILES names those "<profile>-mbedtls-3.6" and "<profile>-wolfssl", the image name's
 * tail) has its sw and hw
 * image with .bin, .hex, .map, .buildid and .size.json beside it; the hw
 * images contain the CRYP, HASH and RNG drivers (arm-none-eabi-nm) and the
 * sw images none of their symbols; every memory region of every image keeps
 * the margin its size file states. issue 18 wolfqemu: the wolfSSL images carry what their
 * HELLO reports (stack, wolfSSL's version and options, the build id written beside them), and
 * only the hw ones register the crypto callback device. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define BOARD "nucleo-f439zi"

/* One symbol per driver that any hw image links (mbedTLS calls them). */
static const char *const k_driver_symbols[] = {"cryp_hw_stream", "hw_hash_update",
                                               "hw_rng_entropy"};
static const char *const k_driver_prefixes[] = {"cryp_hw_", "hw_hash_", "hw_rng_"};

static void image_path(char *out, size_t cap, const char *backend, const char *profile,
                       const char *suffix)
{
    snprintf(out, cap, "%s/images/tlsrig-agent-" BOARD "-%s-%s%s", getenv("TLSRIG_BUILD_DIR"),
             backend, profile, suffix);
}

static bool exists_nonempty(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && st.st_size > 0;
}

/* Calls fn(profile) for each profile of the comma-separated list. */
static void for_each_in(const char *profiles, void (*fn)(const char *profile))
{
    char list[512];
    snprintf(list, sizeof list, "%s", profiles);
    size_t n = 0;
    for (char *save = NULL, *p = strtok_r(list, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
        fn(p);
        n++;
    }
    cr_assert_gt(n, 0u, "no profile configured");
}

/* Calls fn(profile) for each configured profile. */
static void for_each_profile(void (*fn)(const char *profile))
{
    for_each_in(TLSRIG_PROFILES, fn);
}

static void check_files(const char *profile)
{
    static const char *const suffixes[] = {"", ".bin", ".hex", ".map", ".buildid", ".size.json"};
    static const char *const backends[] = {"sw", "hw"};
    for (size_t b = 0; b < 2; b++) {
        for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
            char path[4096];
            image_path(path, sizeof path, backends[b], profile, suffixes[i]);
            cr_expect(exists_nonempty(path), "missing or empty: %s", path);
        }
    }
}

Test(nucleo_images, every_profile_has_both_images_and_their_files)
{
    for_each_profile(check_files);
}

/* Defined (text) symbols of an ELF, one name per line, into a malloc'd string. */
static char *defined_symbols(const char *elf)
{
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "'%s' --defined-only --format=posix '%s'", TLSRIG_ARM_NM, elf);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p, "cannot run %s", cmd);
    size_t cap = 1 << 20, len = 0;
    char *all = malloc(cap);
    cr_assert_not_null(all);
    all[0] = '\n';
    len = 1;
    char line[1024];
    while (fgets(line, sizeof line, p)) {
        char *space = strchr(line, ' ');
        if (!space) {
            continue;
        }
        size_t n = (size_t)(space - line);
        if (len + n + 2 >= cap) {
            cap *= 2;
            all = realloc(all, cap);
            cr_assert_not_null(all);
        }
        memcpy(all + len, line, n);
        len += n;
        all[len++] = '\n';
    }
    all[len] = '\0';
    cr_assert_eq(pclose(p), 0, "%s failed", cmd);
    cr_assert_gt(len, 1000u, "%s: too few symbols", elf);
    return all;
}

static bool has_symbol(const char *all, const char *name)
{
    char needle[256];
    snprintf(needle, sizeof needle, "\n%s\n", name);
    return strstr(all, needle) != NULL;
}

static bool has_prefix(const char *all, const char *prefix)
{
    char needle[256];
    snprintf(needle, sizeof needle, "\n%s", prefix);
    return strstr(all, needle) != NULL;
}

static void check_symbols(const char *profile)
{
    char hw[4096], sw[4096];
    image_path(hw, sizeof hw, "hw", profile, "");
    image_path(sw, sizeof sw, "sw", profile, "");
    char *hw_syms = defined_symbols(hw);
    char *sw_syms = defined_symbols(sw);
    for (size_t i = 0; i < sizeof k_driver_symbols / sizeof k_driver_symbols[0]; i++) {
        cr_expect(has_symbol(hw_syms, k_driver_symbols[i]), "%s lacks %s", hw, k_driver_symbols[i]);
        cr_expect_not(has_prefix(sw_syms, k_driver_prefixes[i]), "%s has %s* symbols", sw,
                      k_driver_prefixes[i]);
    }
    free(hw_syms);
    free(sw_syms);
}

Test(nucleo_images, hw_images_link_the_drivers_and_sw_images_do_not)
{
    for_each_profile(check_symbols);
}

static void check_size(const char *backend, const char *profile)
{
    char path[4096];
    image_path(path, sizeof path, backend, profile, ".size.json");
    json_error_t e;
    json_t *size = json_load_file(path, 0, &e);
    cr_assert_not_null(size, "%s: %s", path, e.text);
    json_t *regions = json_object_get(size, "regions");
    static const char *const names[] = {"flash", "sram", "ccm"};
    for (size_t i = 0; i < 3; i++) {
        json_t *r = json_object_get(regions, names[i]);
        cr_assert_not_null(r, "%s: no region %s", path, names[i]);
        json_int_t total = json_integer_value(json_object_get(r, "total"));
        json_int_t used = json_integer_value(json_object_get(r, "used"));
        json_int_t free_b = json_integer_value(json_object_get(r, "free"));
        json_int_t margin = json_integer_value(json_object_get(r, "margin"));
        cr_expect_gt(used, 0, "%s: %s unused?", path, names[i]);
        cr_expect_eq(free_b, total - used, "%s: %s free", path, names[i]);
        cr_expect_gt(margin, 0, "%s: %s states no margin", path, names[i]);
        cr_expect_geq(free_b, margin, "%s: %s has %lld B free, margin %lld B", path, names[i],
                      (long long)free_b, (long long)margin);
        cr_expect(json_is_true(json_object_get(r, "fits")), "%s: %s does not fit", path, names[i]);
    }
    cr_expect_gt(json_integer_value(json_object_get(size, "heap_bytes")), 0);
    cr_expect_gt(json_integer_value(json_object_get(size, "stack_bytes")), 0);
    json_decref(size);
}

static void check_sizes(const char *profile)
{
    check_size("sw", profile);
    check_size("hw", profile);
}

Test(nucleo_images, every_image_fits_with_its_stated_margins)
{
    for_each_profile(check_sizes);
}

/* The whole file, NUL-terminated, its length in *len. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    cr_assert_eq(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    cr_assert_gt(n, 0, "%s is empty", path);
    cr_assert_eq(fseek(f, 0, SEEK_SET), 0);
    char *buf = malloc((size_t)n + 1);
    cr_assert_not_null(buf);
    cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n, "%s: short read", path);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* n bytes inside the flashed image. */
static bool bin_has(const char *bin, size_t len, const char *bytes, size_t n)
{
    for (size_t i = 0; i + n <= len; i++) {
        if (memcmp(bin + i, bytes, n) == 0) {
            return true;
        }
    }
    return false;
}

/* A NUL-terminated string inside the flashed image (its rodata). */
static bool bin_has_string(const char *bin, size_t len, const char *text)
{
    return bin_has(bin, len, text, strlen(text) + 1);
}

/* What HELLO sends is in the flashed image: the stack, wolfSSL's version, the profile's
 * options, and the build id the build wrote beside it (the host checks it after flashing). */
static void check_wolfssl_hello(const char *profile)
{
    static const char *const backends[] = {"sw", "hw"};
    char tail[128];
    snprintf(tail, sizeof tail, "%s-wolfssl", profile);
    for (size_t b = 0; b < 2; b++) {
        char path[4096];
        image_path(path, sizeof path, backends[b], tail, ".buildid");
        size_t n = 0;
        char *id = slurp(path, &n);
        id[strcspn(id, "\n")] = '\0';
        cr_assert_eq(strlen(id), 16u, "%s: %s", path, id);
        image_path(path, sizeof path, backends[b], tail, ".bin");
        char *bin = slurp(path, &n);
        cr_expect(bin_has_string(bin, n, id), "%s lacks its build id %s", path, id);
        cr_expect(bin_has_string(bin, n, "wolfssl"), "%s lacks the stack name", path);
        cr_expect(bin_has_string(bin, n, TLSRIG_WOLFSSL_VERSION), "%s lacks wolfSSL %s", path,
                  TLSRIG_WOLFSSL_VERSION);
        cr_expect(bin_has(bin, n, "DEBUG_WOLFSSL,", 14), "%s lacks its options", path);
        free(bin);
        free(id);
    }
    /* Only hw images register the crypto callback device (sw ones never link it). */
    char hw[4096], sw[4096];
    image_path(hw, sizeof hw, "hw", tail, "");
    image_path(sw, sizeof sw, "sw", tail, "");
    char *hw_syms = defined_symbols(hw);
    char *sw_syms = defined_symbols(sw);
    cr_expect(has_symbol(hw_syms, "tlsrig_wolf_hw_register"), "%s", hw);
    cr_expect_not(has_symbol(sw_syms, "tlsrig_wolf_hw_register"), "%s", sw);
    cr_expect(has_symbol(hw_syms, "wolfSSL_connect") && has_symbol(sw_syms, "wolfSSL_connect"));
    free(hw_syms);
    free(sw_syms);
}

Test(nucleo_images, wolfssl_images_carry_their_hello_facts)
{
    if (TLSRIG_WOLFSSL_PROFILES[0] == '\0') {
        cr_skip_test("no wolfSSL Cortex-M profile in this build");
    }
    for_each_in(TLSRIG_WOLFSSL_PROFILES, check_wolfssl_hello);
}
