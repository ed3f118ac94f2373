#define _POSIX_C_SOURCE 200809L
#include "preflight.h"

#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "client_request.h"
#include "link.h"
#include "profile_load.h"

static int check_one(const scenario_t *s, const char *profiles_dir, char *err, size_t errlen)
{
    char why[768];
    server_profile_t prof;
    if (profile_load(profiles_dir, s->server.profile, &prof, why, sizeof why) != 0) {
        snprintf(err, errlen, "%s:%u: key 'profile': %s", s->path,
                 scenario_key_line(s, "profile"), why);
        return -1;
    }
    if (s->server.overrides_yaml &&
        profile_apply_overrides_yaml(&prof, s->server.overrides_yaml, why, sizeof why) != 0) {
        snprintf(err, errlen, "%s:%u: key 'overrides': %s", s->path,
                 scenario_key_line(s, "overrides"), why);
        return -1;
    }
    if (s->kind == SCENARIO_REPLAY) {
        char dir[4096], path[4400];
        snprintf(dir, sizeof dir, "%s", s->path);
        if (s->clienthello[0] == '/') {
            snprintf(path, sizeof path, "%s", s->clienthello);
        } else {
            snprintf(path, sizeof path, "%s/%s", dirname(dir), s->clienthello);
        }
        if (access(path, R_OK) != 0) {
            snprintf(err, errlen, "%s:%u: key 'clienthello': cannot read %s", s->path,
                     scenario_key_line(s, "clienthello"), path);
            return -1;
        }
        return 0;
    }
    uint8_t req[LINK_MAX_PAYLOAD];
    return client_request_encode(s, s->name, time(NULL), req, sizeof req, err, errlen) == 0 ? -1
                                                                                            : 0;
}

int preflight_check(scenario_t *const *items, size_t n, const char *profiles_dir, char *err,
                    size_t errlen)
{
    for (size_t i = 0; i < n; i++) {
        if (check_one(items[i], profiles_dir, err, errlen) != 0) {
            return -1;
        }
    }
    return 0;
}
