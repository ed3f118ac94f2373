/* tlsrig replay --profile NAME --clienthello FILE|- [--profiles-dir DIR]:
 * the live server's answer to a stored ClientHello, as JSON, from the same
 * parser and policy the server runs. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain_keys.h"
#include "clienthello.h"
#include "policy.h"
#include "profile_load.h"
#include "tls_names.h"

int cmd_replay(int argc, char **argv);
int cmd_replay_to(FILE *out, FILE *errout, int argc, char **argv);

static int usage(FILE *errout, const char *why)
{
    fprintf(errout,
            "tlsrig replay: %s\n"
            "usage: tlsrig replay --profile NAME --clienthello FILE|- [--profiles-dir DIR]\n"
            "  FILE holds a ClientHello as hex (spaces/newlines allowed) or binary,\n"
            "  as TLS records or a bare handshake message.\n",
            why);
    return 2;
}

static void emit(FILE *out, json_t *j)
{
    char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (s) {
        fprintf(out, "%s\n", s);
        free(s);
    }
    json_decref(j);
}

int cmd_replay_to(FILE *out, FILE *errout, int argc, char **argv)
{
    const char *profile = NULL, *file = NULL, *dir = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)
            return usage(errout, "help");
        if (i + 1 >= argc)
            return usage(errout, "missing value or unknown option");
        if (strcmp(a, "--profile") == 0)
            profile = argv[++i];
        else if (strcmp(a, "--clienthello") == 0)
            file = argv[++i];
        else if (strcmp(a, "--profiles-dir") == 0)
            dir = argv[++i];
        else
            return usage(errout, "unknown option");
    }
    if (!profile || !file)
        return usage(errout, "--profile and --clienthello are required");

    char err[512];
    server_profile_t p;
    if (profile_load(dir, profile, &p, err, sizeof err) != 0 ||
        server_chain_keys(&p, NULL, NULL, err, sizeof err) != 0) {
        fprintf(errout, "tlsrig replay: %s\n", err);
        return 2;
    }
    uint8_t *data;
    size_t len;
    if (clienthello_read_file(file, &data, &len, err, sizeof err) != 0) {
        fprintf(errout, "tlsrig replay: %s\n", err);
        return 2;
    }
    clienthello_t *ch = calloc(1, sizeof *ch);
    if (!ch) {
        free(data);
        return 2;
    }
    int rc = clienthello_parse(data, len, ch, err, sizeof err);
    free(data);
    json_t *j = json_pack("{s:s}", "profile", p.name);
    if (rc != 0) {
        /* The live server answers a malformed hello with this alert. */
        uint8_t alert = clienthello_alert_for(rc);
        json_object_set_new(j, "clienthello", json_null());
        json_object_set_new(j, "answer", json_string("alert"));
        json_object_set_new(j, "alert",
                            json_pack("{s:s, s:s, s:i}", "level", "fatal", "description",
                                      tls_alert_name(alert), "code", alert));
        json_object_set_new(j, "rule", json_string("parse"));
        json_object_set_new(j, "reason", json_string(err));
        emit(out, j);
        fprintf(errout, "tlsrig replay: %s: %s\n", file, err);
        clienthello_free(ch);
        free(ch);
        return 2;
    }
    policy_decision_t d;
    policy_decide(&p, ch, &d);
    /* What the live server answers: the model plus what mbedTLS 2.28 can do. */
    policy_live_limits(&p, ch, &d);
    json_object_set_new(j, "clienthello", clienthello_to_json(ch));
    json_t *answer = policy_decision_to_json(&d);
    json_object_update(j, answer);
    json_decref(answer);
    emit(out, j);
    clienthello_free(ch);
    free(ch);
    return 0;
}

int cmd_replay(int argc, char **argv)
{
    return cmd_replay_to(stdout, stderr, argc, argv);
}
