#include "stacks.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const stack_names[STACK_MAX] = {"mbedtls-2.28", "mbedtls-3.6", STACK_WOLFSSL};

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
    if (strcmp(stack, "mbedtls-3.6") == 0) {
        return "-mbedtls-3.6";
    }
    return stack_is_wolfssl(stack) ? "-wolfssl" : "-unknown-stack";
}

bool stack_is_wolfssl(const char *stack)
{
    return stack != NULL && strcmp(stack, STACK_WOLFSSL) == 0;
}

/* issue 18 wolfint, wolfqemu: the ports that also build wolfSSL hw images (crypto callbacks
 * on the STM32 drivers: target/port/sim's register models, the NUCLEO's engines); QEMU's F405
 * has no CRYP/HASH, so its wolfSSL images are sw only, as its mbedTLS ones. Keep in step with
 * target/port/sim and target/port/nucleo-f439zi. */
static const char *const firmwares_wolfssl_hw[] = {"sim", "nucleo-f439zi"};

bool stack_firmware_has_hw_images(const char *stack, const char *firmware)
{
    if (!stack_is_wolfssl(stack)) {
        return stack_firmware_has_images(stack, firmware);
    }
    for (size_t i = 0; firmware && i < sizeof firmwares_wolfssl_hw / sizeof *firmwares_wolfssl_hw;
         i++) {
        if (strcmp(firmware, firmwares_wolfssl_hw[i]) == 0) {
            return true;
        }
    }
    return false;
}

/* The ports whose CMake builds images for every stack (target/port/sim, qemu-f405,
 * nucleo-f439zi; wolfSSL's Cortex-M images since issue 18 wolfqemu): keep in step with them
 * and with the message below. */
static const char *const firmwares_all_stacks[] = {"sim", "qemu-f405", "nucleo-f439zi"};
const char stack_firmwares_all_stacks[] = "sim, qemu-f405, nucleo-f439zi";

const char *stack_firmwares_of(const char *stack)
{
    (void)stack;
    return stack_firmwares_all_stacks;
}

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
    /* wolfSSL 5.x (LIBWOLFSSL_VERSION_STRING): no mbedTLS release has a 5. */
    if (strncmp(v, "5.", 2) == 0) {
        return STACK_WOLFSSL;
    }
    return NULL;
}

const char *stack_of_agent(const char *tls_stack, const char *mbedtls_version)
{
    if (tls_stack != NULL && tls_stack[0]) {
        return stack_canonical(tls_stack);
    }
    return stack_of_version(mbedtls_version);
}

int stack_error_parse(const char *stack, const char *text, int *code)
{
    if (!stack_is_wolfssl(stack)) {
        return -1;
    }
    /* wolfSSL's codes are small negative decimals (error-ssl.h, error-crypt.h). */
    char *end = NULL;
    errno = 0;
    long v = text ? strtol(text, &end, 10) : 0;
    if (!text || end == text || *end != '\0' || errno != 0 || v >= 0 || v < -99999) {
        return 0;
    }
    *code = (int)v;
    return 1;
}

int stack_parse_list(const char *arg, const char **out, size_t *n, char *err, size_t errlen)
{
    *n = 0;
    if (strcmp(arg, "all") == 0) {
        for (size_t i = 0; i < STACK_ALL_MBEDTLS; i++) {
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
            snprintf(err, errlen,
                     "--stack '%s': empty or overlong stack name (known: %s, %s, %s, all)", arg,
                     stack_names[0], stack_names[1], stack_names[2]);
            return -1;
        }
        memcpy(name, p, len);
        name[len] = '\0';
        const char *c = stack_canonical(name);
        if (c == NULL) {
            snprintf(err, errlen, "--stack: unknown stack '%s' (known: %s, %s, %s, all)", name,
                     stack_names[0], stack_names[1], stack_names[2]);
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
