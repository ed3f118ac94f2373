/* libFuzzer target: the profile loader (config_yaml checks, libcyaml schema,
 * name tables) on any bytes, as a whole profile file and as overrides on top
 * of a loaded one. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "profile_load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[1024] = "";
    server_profile_t p;
    int rc = profile_load_text("fuzz.yaml", (const char *)data, size, &p, err, sizeof err);
    if (rc != 0 && err[0] == '\0') {
        abort(); /* every refusal says why */
    }
    if (rc == 0 && (p.min_version > p.max_version || p.n_suites > PROFILE_MAX_SUITES ||
                    p.n_groups > PROFILE_MAX_GROUPS || p.n_impairments > PROFILE_MAX_IMPAIR)) {
        abort(); /* the loader's bounds and range check hold */
    }
    /* The same bytes as a scenario's overrides: on error the profile is unchanged. */
    char *text = malloc(size + 1u);
    if (!text) {
        return 0;
    }
    memcpy(text, data, size);
    text[size] = '\0';
    server_profile_t base, before;
    profile_defaults(&base);
    memcpy(&before, &base, sizeof before);
    if (profile_apply_overrides_yaml(&base, text, err, sizeof err) != 0 &&
        memcmp(&base, &before, sizeof base) != 0) {
        abort();
    }
    free(text);
    return 0;
}
