/* The TLS stacks the agent is built against (docs/stacks.md): their names, the
 * image-name suffix of each, and how a result without a `stack` field (a run from before
 * stacks existed) is read: as the default stack, mbedtls-2.28. Two mbedTLS releases and,
 * issue 18, wolfSSL (`wolfssl`). */
#ifndef TLSRIG_STACKS_H
#define TLSRIG_STACKS_H

#include <stdbool.h>
#include <stddef.h>

#define STACK_DEFAULT "mbedtls-2.28"
#define STACK_MAX 3
#define STACK_WOLFSSL "wolfssl"
/* `--stack all`: the mbedTLS stacks (the first STACK_ALL_MBEDTLS names). wolfSSL is named
 * on its own: the mbedTLS catalog's profiles and error codes are mbedTLS's. */
#define STACK_ALL_MBEDTLS 2

extern const char *const stack_names[STACK_MAX];

/* The name itself when known, NULL otherwise (so callers keep a static string). */
const char *stack_canonical(const char *name);

/* "" for the default stack (its images keep their names), "-<stack>" otherwise. */
const char *stack_image_suffix(const char *stack);

/* A result's stack: the field's value, or the default stack when it has none. */
const char *stack_or_default(const char *field);

/* The stack an agent's library version belongs to ("3.6.6" -> mbedtls-3.6; wolfSSL's
 * LIBWOLFSSL_VERSION_STRING "5.7.2" -> wolfssl), NULL when none. */
const char *stack_of_version(const char *mbedtls_version);

/* True for the wolfssl stack (error codes are wolfSSL's, no hw backend yet). */
bool stack_is_wolfssl(const char *stack);

/* The stack an agent's HELLO names (T_TLS_STACK, "" when absent), else the one of its
 * mbedTLS version; NULL when neither is known. */
const char *stack_of_agent(const char *tls_stack, const char *mbedtls_version);

/* The firmwares that have images of <stack>, for messages (every non-default stack has the
 * same: stack_firmwares_all_stacks). */
const char *stack_firmwares_of(const char *stack);

/* An expectation's error for <stack>: mbedTLS stacks take the caller's mbedTLS parse;
 * wolfssl takes wolfSSL's decimal codes ("-313"). 1 parsed, 0 not (for wolfssl), -1 not a
 * wolfssl stack (the caller parses mbedTLS names). */
int stack_error_parse(const char *stack, const char *text, int *code);

/* Whether images of <stack> can exist for <firmware> (a board's `firmware`, else its name):
 * the default stack for every firmware; mbedtls-3.6 and wolfssl for the ports that build them
 * (sim, qemu-f405, nucleo-f439zi: target/port/). */
bool stack_firmware_has_images(const char *stack, const char *firmware);
/* issue 18 wolfint: whether hw-backend images of <stack> exist for <firmware>: wolfSSL's for
 * the sim and the NUCLEO-F439ZI (not QEMU's F405, which has no CRYP/HASH); the mbedTLS
 * stacks' wherever they have images. */
bool stack_firmware_has_hw_images(const char *stack, const char *firmware);

/* The firmwares with images of every stack, for messages: "sim, qemu-f405, nucleo-f439zi". */
extern const char stack_firmwares_all_stacks[];

/* Parses --stack: a comma-separated list of stack names or `all`, in the order given,
 * without duplicates. 0, or -1 with err naming the unknown name. */
int stack_parse_list(const char *arg, const char **out, size_t *n, char *err, size_t errlen);

#endif
