/* The build tree of a user's configuration: <build>/userconfig/<stack>-user-<digest16>/ for
 * the sim images, <...>-cm4/ for the Cortex-M ones (user_target.h), target/userconfig
 * configured there with a copy of the header. One tree per header digest, stack and
 * toolchain: a tree is reused only when the header it holds has the same bytes, never for
 * another configuration. Runs of the same configuration take turns (a lock file beside the
 * tree, held until user_build_release()). A tree counts as configured once its configure
 * succeeded with today's arguments (<tree>/tlsrig-configured holds them): a configure that
 * failed or was cut short is run again by the next run. */
#ifndef TLSRIG_USER_BUILD_H
#define TLSRIG_USER_BUILD_H

#include <stddef.h>

#include "config_header.h"
#include "user_context.h"
#include "user_target.h"

typedef struct user_build {
    char tree[4400]; /* the CMake binary dir: images in <tree>/images/ */
    user_tree_kind_t kind;
    int lock_fd; /* -1 when not held */
} user_build_t;

/* Claims (or reuses) the tree, copies the header, configures it when needed; the
 * configure output goes to log_path. 0, or 3 with err (a tree holding another header,
 * a failed configure, a failed write). */
int user_build_prepare(const user_context_t *ctx, const user_config_t *c, user_tree_kind_t kind,
                       const char *log_path, user_build_t *b, char *err, size_t errlen);
void user_build_release(user_build_t *b);

#endif
