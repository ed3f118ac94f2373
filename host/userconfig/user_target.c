#define _POSIX_C_SOURCE 200809L
#include "user_target.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The firmwares target/userconfig/cm4.cmake builds (the ports it adds). */
static const char *const k_cm4_firmwares[] = {"qemu-f405", "nucleo-f439zi"};

int user_target_tree(const user_context_t *ctx, const char *board, const char *firmware,
                     user_tree_kind_t *kind, char *err, size_t errlen)
{
    if (strcmp(firmware, "sim") == 0) {
        *kind = USER_TREE_SIM;
        return 0;
    }
    bool cm4 = false;
    for (size_t i = 0; i < sizeof k_cm4_firmwares / sizeof *k_cm4_firmwares; i++) {
        cm4 = cm4 || strcmp(firmware, k_cm4_firmwares[i]) == 0;
    }
    if (!cm4) {
        snprintf(err, errlen,
                 "--config-file: board %s runs firmware %s, which has no images built from a "
                 "user's configuration (sim, qemu-f405 and nucleo-f439zi have: docs/stacks.md)",
                 board, firmware);
        return 2;
    }
    if (!ctx->cross) {
        snprintf(err, errlen,
                 "--config-file: board %s (firmware %s) needs Cortex-M images, and this build has "
                 "no cross toolchain (configured with TLSRIG_CROSS=OFF or without "
                 "arm-none-eabi-gcc): install gcc-arm-none-eabi and configure with "
                 "-DTLSRIG_CROSS=ON",
                 board, firmware);
        return 3;
    }
    if (access(ctx->arm_gcc, X_OK) != 0 || access(ctx->toolchain_file, R_OK) != 0) {
        snprintf(err, errlen,
                 "--config-file: board %s (firmware %s) needs the Cortex-M toolchain this build "
                 "was configured with, and %s is gone: install gcc-arm-none-eabi again, or "
                 "configure again",
                 board, firmware,
                 access(ctx->arm_gcc, X_OK) != 0 ? ctx->arm_gcc : ctx->toolchain_file);
        return 3;
    }
    *kind = USER_TREE_CM4;
    return 0;
}

const char *user_target_tree_suffix(user_tree_kind_t kind)
{
    return kind == USER_TREE_CM4 ? "-cm4" : "";
}

void user_target_mbedtls_lib(user_tree_kind_t kind, const char *cfg, const char *backend,
                             const char *stack, char *out, size_t cap)
{
    snprintf(out, cap, "mbedtls_%s%s%s_%s", cfg, strcmp(backend, "hw") == 0 ? "_hw" : "",
             strcmp(stack, "mbedtls-3.6") == 0 ? "_m36" : "",
             kind == USER_TREE_CM4 ? "cm4" : "native");
}
