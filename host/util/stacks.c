#include "stacks.h"

#include <stdio.h>
#include <string.h>

const char *const stack_names[STACK_MAX] = {"mbedtls-2.28", "mbedtls-3.6"};

const char *stack_canonical(const char *name)
{
    for (size_t i = 0; name && i < STACK_MAX; i++) {
        if (strcmp(name, stack_names[i]) == 0) {
            return stack_names[i];
        }
    }
    return NULL;
}

const char *stack_image_suffix(const char *stack)
{
    if (stack == NULL || strcmp(stack, STACK_DEFAULT) == 0) {
        return "";
    }
    return strcmp(stack, "mbedtls-3.6") == 0 ? "-mbedtls-3.6" : "-unknown-stack";
}

/* The ports whose CMake builds images for every stack (target/port/sim, qemu-f405,
 * nucleo-f439zi): keep in step with them and with the message below. */
static const char *const firmwares_all_stacks[] = {"sim", "qemu-f405", "nucleo-f439zi"};
const char stack_firmwares_all_stacks[] = "sim, qemu-f405, nucleo-f439zi";

bool stack_firmware_has_images(const char *stack, const char *firmware)
{
    if (stack == NULL || strcmp(stack, STACK_DEFAULT) == 0) {
        return true;
    }
    for (size_t i = 0; firmware && i < sizeof firmwares_all_stacks / sizeof *firmwares_all_stacks;
         i++) {
        if (strcmp(firmware, firmwares_all_stacks[i]) == 0) {
            return true;
        }
    }
    return false;
}

const char *stack_or_default(const char *field)
{
    return field && field[0] ? field : STACK_DEFAULT;
}

const char *stack_of_version(const char *v)
{
    if (v == NULL) {
        return NULL;
    }
    if (strncmp(v, "2.28.", 5) == 0) {
        return "mbedtls-2.28";
    }
    if (strncmp(v, "3.6.", 4) == 0) {
        return "mbedtls-3.6";
    }
    return NULL;
}

int stack_parse_list(const char *arg, const char **out, size_t *n, char *err, size_t errlen)
{
    *n = 0;
    if (strcmp(arg, "all") == 0) {
        for (size_t i = 0; i < STACK_MAX; i++) {
            out[(*n)++] = stack_names[i];
        }
        return 0;
    }
    const char *p = arg;
    while (1) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char name[64];
        if (len == 0 || len >= sizeof name) {
            snprintf(err, errlen, "--stack '%s': empty or overlong stack name (known: %s, %s, all)",
                     arg, stack_names[0], stack_names[1]);
            return -1;
        }
        memcpy(name, p, len);
        name[len] = '\0';
        const char *c = stack_canonical(name);
        if (c == NULL) {
            snprintf(err, errlen, "--stack: unknown stack '%s' (known: %s, %s, all)", name,
                     stack_names[0], stack_names[1]);
            return -1;
        }
        bool dup = false;
        for (size_t i = 0; i < *n; i++) {
            dup = dup || out[i] == c;
        }
        if (!dup) {
            out[(*n)++] = c;
        }
        if (!comma) {
            return 0;
        }
        p = comma + 1;
    }
}
