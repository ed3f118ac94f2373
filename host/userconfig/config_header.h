/* A user's own mbedTLS configuration header (`--config-file PATH`): read once, named by its
 * SHA-256, and seen through the compiler: `cc -dM -E` of the header alone (what it sets
 * itself) and of mbedTLS's headers configured by it (the configuration mbedTLS really
 * builds, derived options and defaults included). A header meant for another mbedTLS
 * release than the stack it is used with is refused, naming what gives it away. */
#ifndef TLSRIG_CONFIG_HEADER_H
#define TLSRIG_CONFIG_HEADER_H

#include <stddef.h>

#include "config_macros.h"

/* Where mbedTLS and the compiler are (user_context.h fills it from the build). */
typedef struct config_toolchain {
    const char *cc;             /* the compiler the images are built with */
    const char *include_dir[2]; /* <mbedTLS source>/include per stack (stacks.h order) */
    const char *version[2];     /* their MBEDTLS_VERSION_STRING, "" unknown */
} config_toolchain_t;

#define CONFIG_NAME_PREFIX "user-"

typedef struct user_config {
    char path[4096]; /* as given */
    char sha256[65]; /* of the file's bytes */
    char name[32];   /* "user-<first 16 hex digits of sha256>": the config's image name */
    const char *stack;
    char *content; /* the bytes digested, NUL-terminated: what is built */
    size_t len;
    config_macros_t own;       /* the header preprocessed alone */
    config_macros_t effective; /* mbedtls/ssl.h and friends, configured by the header */
} user_config_t;

/* Loads and checks PATH for `stack` (stacks.h name). 0; or 2 with err (missing,
 * unreadable, not a regular file, empty, too large, defines no MBEDTLS_ macro, does not
 * preprocess: the compiler's messages, written for another mbedTLS release). Writes
 * nothing outside a private temporary directory, which it removes. */
int user_config_load(const char *path, const char *stack, const config_toolchain_t *tc,
                     user_config_t *out, char *err, size_t errlen);
void user_config_free(user_config_t *c);

/* The stack a header's own macros point to: a stack name when it sets options only
 * that release has; NULL when nothing tells. *why names the macros (cap bytes). */
const char *config_stack_evidence(const config_macros_t *own, const char *not_stack, char *why,
                                  size_t cap);

#endif
