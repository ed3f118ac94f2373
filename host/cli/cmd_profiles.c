/* tlsrig profiles [--json] [--profiles-dir DIR]: the server profiles, one
 * line each (name and description). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile_load.h"

int cmd_profiles(int argc, char **argv);
int cmd_profiles_to(FILE *out, FILE *errout, int argc, char **argv);

#define MAX_PROFILES 256

int cmd_profiles_to(FILE *out, FILE *errout, int argc, char **argv)
{
    const char *dir = NULL;
    int as_json = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            as_json = 1;
        } else if (strcmp(argv[i], "--profiles-dir") == 0 && i + 1 < argc) {
            dir = argv[++i];
        } else {
            fprintf(errout, "usage: tlsrig profiles [--json] [--profiles-dir DIR]\n");
            return 2;
        }
    }
    if (!dir)
        dir = profile_default_dir();
    static char names[MAX_PROFILES][PROFILE_NAME_LEN];
    size_t n = 0;
    if (profile_list(dir, names, MAX_PROFILES, &n) != 0) {
        fprintf(errout, "tlsrig profiles: cannot read %s\n", dir);
        return 2;
    }
    int rc = 0;
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        server_profile_t p;
        char err[512];
        if (profile_load(dir, names[i], &p, err, sizeof err) != 0) {
            fprintf(errout, "tlsrig profiles: %s\n", err);
            rc = 2;
            continue;
        }
        if (as_json) {
            json_t *chains = json_array();
            for (size_t c = 0; c < p.n_chains; c++)
                json_array_append_new(chains, json_string(p.chains[c]));
            json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:o}", "name", p.name,
                                                  "description", p.description, "models", p.models,
                                                  "reference", p.reference, "chains", chains));
        } else {
            fprintf(out, "%-24s %s\n", p.name, p.description);
        }
    }
    if (as_json) {
        char *s = json_dumps(list, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        if (s)
            fprintf(out, "%s\n", s);
        free(s);
    }
    json_decref(list);
    return rc;
}

int cmd_profiles(int argc, char **argv)
{
    return cmd_profiles_to(stdout, stderr, argc, argv);
}
