/* Which build of a user's configuration serves a board (`tlsrig run --config-file`,
 * docs/stacks.md "Bring your own configuration"): the sim firmware in a tree built with the
 * host compiler, the Cortex-M firmwares (qemu-f405, nucleo-f439zi) in a tree of their own
 * built with the cross toolchain of this build. Also the names of what a tree builds. */
#ifndef TLSRIG_USER_TARGET_H
#define TLSRIG_USER_TARGET_H

#include <stddef.h>

#include "user_context.h"

typedef enum user_tree_kind {
    USER_TREE_SIM = 0, /* <build>/userconfig/<stack>-user-<digest16>/ */
    USER_TREE_CM4,     /* <build>/userconfig/<stack>-user-<digest16>-cm4/ */
} user_tree_kind_t;

/* The tree for `firmware` (a board's firmware name) of board `board`. 0; 2 with err when
 * the firmware has no user images (a usage error); 3 with err when it needs the Cortex-M
 * toolchain and this build has none, or it is gone (infrastructure: install, reconfigure). */
int user_target_tree(const user_context_t *ctx, const char *board, const char *firmware,
                     user_tree_kind_t *kind, char *err, size_t errlen);

/* "" or "-cm4": the tree directory's suffix. */
const char *user_target_tree_suffix(user_tree_kind_t kind);

/* The mbedTLS library an image of (kind, backend, stack) links, the first thing built, so a
 * header mbedTLS itself does not compile with is told apart from the agent's image:
 * mbedtls_<cfg>[_hw][_m36]_<native|cm4> (target/userconfig/sim.cmake, cm4.cmake). */
void user_target_mbedtls_lib(user_tree_kind_t kind, const char *cfg, const char *backend,
                             const char *stack, char *out, size_t cap);

#endif
