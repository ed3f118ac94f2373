/* What this build knows for `--config-file` (<build>/userconfig/context.json, written by
 * cmake/userconfig_context.cmake): the repository, the compiler, build type and sanitizer
 * flags the images are built with, each stack's mbedTLS source, and the Cortex-M toolchain
 * (when the build has one) for the QEMU and board images. */
#ifndef TLSRIG_USER_CONTEXT_H
#define TLSRIG_USER_CONTEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "config_header.h"

typedef struct user_context {
    char build_dir[4096];
    char root[4096];
    char cc[4096];
    char build_type[64];
    char cache_dir[4096];
    bool sanitize;
    bool third_party_debug_info; /* -g in the TLS libraries, as the build's own */
    char rule_messages[8];       /* CMAKE_RULE_MESSAGES of the build, "" when unset */
    char source_dir[2][4096];    /* stacks.h order; "" when the build has no such stack */
    char include_dir[2][4200];
    char version[2][32];
    /* The Cortex-M images: cross is false when the build was configured without
     * arm-none-eabi-gcc or with TLSRIG_CROSS=OFF (an older context.json says nothing: false). */
    bool cross;
    char arm_gcc[4096];
    char toolchain_file[4096];
    char nucleo_baud[32];
} user_context_t;

/* 0, or 2 with err (an older build without the file: reconfigure). */
int user_context_load(const char *build_dir, user_context_t *ctx, char *err, size_t errlen);

/* The compiler and include directories for config_header.h (pointers into ctx). */
void user_context_toolchain(const user_context_t *ctx, config_toolchain_t *tc);

#endif
