/* The proof of compact logs: for every catalog scenario on the sim, both
 * backends, the log rendered from the agent's records is byte-identical to
 * the text path's log of the same execution (--log-wire both: the agent sends
 * both streams for every debug call; a text run and a compact run would not
 * do, their TLS bytes arrive in different chunks and the logs differ).
 * Every result is accounted for: compared, or listed with why not. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "e2e_util.h"

static bool same_bytes(const char *a, const char *b, long *at)
{
    FILE *fa = fopen(a, "rb");
    FILE *fb = fopen(b, "rb");
    bool same = fa && fb;
    *at = 0;
    while (same) {
        int ca = fgetc(fa);
        int cb = fgetc(fb);
        if (ca != cb) {
            same = false;
        } else if (ca == EOF) {
            break;
        }
        (*at)++;
    }
    if (fa) {
        fclose(fa);
    }
    if (fb) {
        fclose(fb);
    }
    return same;
}

Test(logwire_catalog, records_render_the_text_path_log_byte_for_byte, .timeout = 600)
{
    char dir[4096], out[4200];
    e2e_tmpdir("logwire-catalog", dir, sizeof dir);
    rmdir(dir); /* tlsrig claims it */
    snprintf(out, sizeof out, "%s.stdout", dir);
    /* A tree built with fewer config profiles than the catalog needs runs
     * the scenarios of the profile it has (TLSRIG_LOGWIRE_CONFIG, set by CMake). */
    const char *config = getenv("TLSRIG_LOGWIRE_CONFIG");
    const char *args[] = {"run",
                          "--board",
                          "sim",
                          "--backend",
                          "both",
                          "--log-wire",
                          "both",
                          "--out",
                          dir,
                          "--quiet",
                          config && config[0] ? "--config" : NULL,
                          config,
                          NULL};
    int rc = e2e_run(out, args);
    cr_assert(rc == 0 || rc == 1, "tlsrig run exited %d (usage or infrastructure)", rc);
    json_t *results = e2e_results(dir);
    cr_assert_not_null(results);
    json_t *targets = e2e_targets(results); /* takes results */
    size_t i, compared = 0, not_run = 0;
    json_t *r;
    json_array_foreach(targets, i, r)
    {
        const char *log = json_string_value(json_object_get(r, "log"));
        const char *id = json_string_value(json_object_get(r, "run_id"));
        if (!id) {
            id = json_string_value(json_object_get(r, "scenario"));
        }
        const char *outcome = json_string_value(json_object_get(r, "outcome"));
        const char *fmt =
            json_string_value(json_object_get(json_object_get(r, "link"), "log_format"));
        char text[4400], records[4500];
        snprintf(text, sizeof text, "%s/%s", dir, log ? log : "");
        snprintf(records, sizeof records, "%s.records", text);
        if (!log || !log[0] || access(text, F_OK) != 0) {
            /* No log at all: the scenario never reached the agent (an image
             * that is not built in this tree, a replay scenario). Said, not hidden. */
            cr_log_info("not compared: %s (%s, no log: %s)", id ? id : "?", outcome ? outcome : "?",
                        json_string_value(json_object_get(r, "infra_error"))
                            ? json_string_value(json_object_get(r, "infra_error"))
                            : "no agent log");
            cr_expect(outcome && strcmp(outcome, "pass") && strcmp(outcome, "fail"),
                      "%s: %s without a log", id, outcome);
            not_run++;
            continue;
        }
        cr_expect(fmt && strcmp(fmt, "both") == 0, "%s: log_format %s, not both", id,
                  fmt ? fmt : "(none)");
        cr_expect(
            json_integer_value(json_object_get(json_object_get(r, "link"), "log_undecoded")) == 0,
            "%s: records not decoded", id);
        long at = 0;
        cr_expect(access(records, F_OK) == 0, "%s: no rendering of its records", id);
        cr_expect(same_bytes(text, records, &at), "%s: rendering differs at byte %ld", log, at);
        compared++;
    }
    cr_log_info("%zu logs compared byte for byte, %zu results without a log", compared, not_run);
    cr_assert_gt(compared, 50u, "only %zu logs compared", compared);
    json_decref(targets); /* e2e_targets took results */
}
