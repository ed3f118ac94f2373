#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "scenario.h"

int cmd_scenarios(int argc, char **argv)
{
    bool as_json = argc == 2 && strcmp(argv[1], "--json") == 0;
    if (argc > 2 || (argc == 2 && !as_json)) {
        fprintf(stderr, "usage: tlsrig scenarios [--json]\n");
        return 2;
    }
    char dir[4200], err[1024];
    snprintf(dir, sizeof dir, "%s/fixtures/scenarios", cli_source_dir());
    scenario_set_t set;
    if (scenario_load_dir(dir, &set, err, sizeof err) != 0) {
        fprintf(stderr, "tlsrig scenarios: %s\n", err);
        return 2;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < set.count; i++) {
        const scenario_t *s = set.items[i];
        const char *cfg = s->config ? s->config : "full";
        if (as_json) {
            json_t *o = json_object();
            json_object_set_new(o, "name", json_string(s->name));
            json_object_set_new(o, "kind",
                                json_string(s->kind == SCENARIO_REPLAY ? "replay" : "target"));
            json_object_set_new(o, "config", json_string(cfg));
            json_object_set_new(o, "profile", json_string(s->server.profile));
            json_object_set_new(o, "expect", json_string(s->expect.outcome));
            json_object_set_new(o, "description",
                                json_string(s->description ? s->description : ""));
            json_array_append_new(arr, o);
        } else {
            printf("%-44s %-6s %-12s %-22s %-4s %s\n", s->name,
                   s->kind == SCENARIO_REPLAY ? "replay" : "target", cfg, s->server.profile,
                   s->expect.outcome, s->description ? s->description : "");
        }
    }
    if (as_json) {
        json_dumpf(arr, stdout, JSON_INDENT(2));
        putchar('\n');
    } else {
        printf("%zu scenarios\n", set.count);
    }
    json_decref(arr);
    scenario_set_free(&set);
    return 0;
}
