/* The NUCLEO-F439ZI images of this build: every profile (on mbedtls-3.6 too: TLSRIG_PROFILES
 * names those "<profile>-mbedtls-3.6", the image name's tail) has its sw and hw
 * image with .bin, .hex, .map, .buildid and .size.json beside it; the hw
 * images contain the CRYP, HASH and RNG drivers (arm-none-eabi-nm) and the
 * sw images none of their symbols; every memory region of every image keeps
 * the margin its size file states. */
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

/* Calls fn(profile) for each configured profile. */
static void for_each_profile(void (*fn)(const char *profile))
{
    char list[512];
    snprintf(list, sizeof list, "%s", TLSRIG_PROFILES);
    size_t n = 0;
    for (char *save = NULL, *p = strtok_r(list, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
        fn(p);
        n++;
    }
    cr_assert_gt(n, 0u, "no profile configured");
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
