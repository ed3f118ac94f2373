/* issue 18 wolfqemu: the firmware images a build can make. target/CMakeLists.txt writes
 * <build>/image-targets.txt at configure time, one image target per line (the sim images, and
 * the Cortex-M ones when the cross sub-build is on), so a run can tell "this build does not
 * make that image" (a profile left out of TLSRIG_*_PROFILES: the scenario is skipped with that
 * reason) from "the image failed to build" (an infrastructure error). */
#ifndef TLSRIG_IMAGE_TARGETS_H
#define TLSRIG_IMAGE_TARGETS_H

#include <stddef.h>

#include "board_config.h"

#define IMAGE_TARGETS_FILE "image-targets.txt"

typedef enum image_target_status {
    IMAGE_TARGET_LISTED,     /* the build makes it */
    IMAGE_TARGET_NOT_LISTED, /* the build's list lacks it */
    IMAGE_TARGET_NO_LIST,    /* no readable list (a build from before it): assume it exists */
} image_target_status_t;

/* "tlsrig-agent-<firmware>-<backend>-<config><stack suffix>", the image the runner builds. */
void image_target_name(const board_config_t *b, const char *backend, const char *config,
                       const char *stack, char *out, size_t cap);

/* Whether <build_dir>/image-targets.txt lists target. */
image_target_status_t image_target_lookup(const char *build_dir, const char *target);

/* The cache variables that decide whether images of <stack> for <firmware> are built, for the
 * skip reason ("TLSRIG_WOLFSSL_PROFILES, TLSRIG_WOLFSSL_CROSS_PROFILES"). */
const char *image_target_hint(const char *firmware, const char *stack);

#endif
