#include "image_targets.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "stacks.h"

void image_target_name(const board_config_t *b, const char *backend, const char *config,
                       const char *stack, char *out, size_t cap)
{
    snprintf(out, cap, "tlsrig-agent-%s-%s-%s%s", board_firmware(b), backend, config,
             stack_image_suffix(stack));
}

image_target_status_t image_target_lookup(const char *build_dir, const char *target)
{
    char path[4200];
    int n = snprintf(path, sizeof path, "%s/" IMAGE_TARGETS_FILE, build_dir);
    if (n < 0 || (size_t)n >= sizeof path) {
        return IMAGE_TARGET_NO_LIST;
    }
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        return IMAGE_TARGET_NO_LIST;
    }
    image_target_status_t st = IMAGE_TARGET_NOT_LISTED;
    char line[512];
    while (st == IMAGE_TARGET_NOT_LISTED && fgets(line, sizeof line, f)) {
        size_t len = strcspn(line, "\r\n");
        /* An overlong line is no image name: skip the rest of it. */
        if (line[len] == '\0' && !feof(f)) {
            int c;
            while ((c = fgetc(f)) != EOF && c != '\n') {
            }
            continue;
        }
        line[len] = '\0';
        if (line[0] != '#' && strcmp(line, target) == 0) {
            st = IMAGE_TARGET_LISTED;
        }
    }
    /* A read error leaves the list unknown rather than wrong. */
    if (st == IMAGE_TARGET_NOT_LISTED && ferror(f)) {
        st = IMAGE_TARGET_NO_LIST;
    }
    fclose(f);
    return st;
}

const char *image_target_hint(const char *firmware, const char *stack)
{
    bool sim = firmware != NULL && strcmp(firmware, "sim") == 0;
    if (stack_is_wolfssl(stack)) {
        return sim ? "TLSRIG_WOLFSSL_PROFILES"
                   : "TLSRIG_WOLFSSL_PROFILES, TLSRIG_WOLFSSL_CROSS_PROFILES, TLSRIG_CROSS";
    }
    if (stack != NULL && strcmp(stack, "mbedtls-3.6") == 0) {
        return sim ? "TLSRIG_CONFIG_PROFILES, TLSRIG_STACK36_PROFILES"
                   : "TLSRIG_CONFIG_PROFILES, TLSRIG_STACK36_PROFILES, TLSRIG_BOARD_PROFILES, "
                     "TLSRIG_CROSS";
    }
    return sim ? "TLSRIG_CONFIG_PROFILES"
               : "TLSRIG_CONFIG_PROFILES, TLSRIG_QEMU_PROFILES, TLSRIG_BOARD_PROFILES, "
                 "TLSRIG_CROSS";
}
