#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board_config.h"
#include "commands.h"
#include "quarantine.h"
#include "recovery_record.h"

int cmd_list(int argc, char **argv)
{
    bool as_json = argc == 2 && strcmp(argv[1], "--json") == 0;
    if (argc > 2 || (argc == 2 && !as_json)) {
        fprintf(stderr, "usage: tlsrig list [--json]\n");
        return 2;
    }
    char dir[4200], err[1024];
    snprintf(dir, sizeof dir, "%s/rig-config/boards", cli_source_dir());
    char **names = NULL;
    size_t n = board_config_list(dir, &names);
    json_t *arr = json_array();
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        board_config_t *b = board_config_load(dir, names[i], err, sizeof err);
        if (!b) {
            fprintf(stderr, "tlsrig list: %s\n", err);
            rc = 2;
        } else {
            json_t *o = json_object();
            json_object_set_new(o, "name", json_string(b->name));
            json_object_set_new(o, "description",
                                json_string(b->description ? b->description : ""));
            json_t *be = json_array();
            for (unsigned j = 0; j < b->backends_count; j++) {
                json_array_append_new(be, json_string(b->backends[j]));
            }
            json_object_set_new(o, "backends", be);
            json_object_set_new(o, "configured", json_true());
            quarantine_info_t q;
            char qerr[512];
            if (quarantine_get(b->name, &q, qerr, sizeof qerr) != 0) {
                q.quarantined = false; /* no state dir: nothing can be quarantined */
            }
            json_object_set_new(o, "quarantined", quarantine_info_json(&q));
            json_array_append_new(arr, o);
            if (!as_json) {
                printf("%-16s %-11s %s\n", b->name, q.quarantined ? "QUARANTINED" : "configured",
                       b->description ? b->description : "");
                if (q.quarantined) {
                    printf("%-16s since %s, %s; tlsrig unquarantine %s\n", "",
                           q.since[0] ? q.since : "(unknown)", q.path, b->name);
                }
            }
            board_config_free(b);
        }
        free(names[i]);
    }
    free(names);
    if (as_json) {
        json_dumpf(arr, stdout, JSON_INDENT(2));
        putchar('\n');
    }
    json_decref(arr);
    return rc;
}
