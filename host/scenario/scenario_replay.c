/* A replay scenario: a stored ClientHello (from a client the agent cannot
 * be, e.g. a stack that omits supported_groups) classified by a server
 * profile with the same policy code the live server runs. The result has the
 * fields of a target scenario; the server's answer is the evidence. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clienthello.h"
#include "policy.h"
#include "profile_provenance.h"
#include "result_diagnosis.h"
#include "scenario_exec.h"

json_t *scenario_exec_replay(const exec_env_t *env, const scenario_t *s, const char *board,
                             const char *backend, char *cfg_err, size_t errlen)
{
    (void)env;
    if (!s->plan.prepared) {
        snprintf(cfg_err, errlen, "%s: scenario not prepared (preflight_check)", s->path);
        return NULL;
    }
    const server_profile_t *prof = s->plan.profile;
    char err[512];
    uint8_t *data = NULL;
    size_t len = 0;
    if (clienthello_read_file(s->plan.clienthello_path, &data, &len, err, sizeof err) != 0) {
        snprintf(cfg_err, errlen, "%s:%u: key 'clienthello': %s", s->path,
                 s->plan.lines.clienthello, err);
        return NULL;
    }
    json_t *r = json_object();
    json_object_set_new(r, "scenario", json_string(s->name));
    json_object_set_new(r, "kind", json_string("replay"));
    json_object_set_new(r, "board", json_string(board));
    json_object_set_new(r, "backend", json_string(backend));
    json_object_set_new(r, "config", json_string("n/a"));
    json_object_set_new(r, "profile", json_string(s->server.profile));
    json_object_set_new(r, "clienthello_file", json_string(s->clienthello));
    json_object_set_new(r, "mbedtls_ret", json_null());
    json_object_set_new(r, "mbedtls_error", json_null());
    json_object_set_new(r, "alert_received", json_null());
    json_object_set_new(r, "alert_sent", json_null());
    json_object_set_new(r, "log", json_string(""));
    json_object_set_new(r, "duration_ms", json_real(0));

    clienthello_t *ch = calloc(1, sizeof *ch);
    int rc = ch ? clienthello_parse(data, len, ch, err, sizeof err) : -1;
    free(data);
    json_t *view = json_object();
    json_t *decision = json_object();
    server_view_t typed; /* what the diagnosis reads; view is its edge form */
    server_view_init(&typed);
    if (rc != 0) {
        /* The live server answers an unreadable hello with this alert. */
        uint8_t alert = clienthello_alert_for(rc);
        json_object_set_new(r, "answer", json_string("alert"));
        json_object_set_new(r, "alert_sent", json_integer(alert));
        json_object_set_new(r, "reason", json_string(err));
        json_object_set_new(decision, "reaction", json_string("alert"));
        json_object_set_new(decision, "alert", json_integer(alert));
        json_object_set_new(decision, "reason", json_string(err));
        json_object_set_new(decision, "rule",
                            json_string(server_rule_name(SERVER_RULE_MALFORMED_HELLO)));
        typed.rule = SERVER_RULE_MALFORMED_HELLO;
        typed.reaction = REACT_ALERT;
        typed.refusal_alert = typed.alert_sent = alert;
    } else {
        policy_decision_t d;
        policy_decide(prof, ch, &d);
        policy_live_limits(prof, ch, &d); /* what the live server answers */
        json_t *answer = policy_decision_to_json(&d);
        json_object_set(r, "answer", json_object_get(answer, "answer"));
        json_object_set(r, "reason", json_object_get(answer, "reason"));
        json_object_set(r, "rule", json_object_get(answer, "rule"));
        if (json_object_get(answer, "server_hello")) {
            json_object_set(r, "server_hello", json_object_get(answer, "server_hello"));
        }
        if (d.reaction.kind == REACT_ALERT) {
            json_object_set_new(r, "alert_sent", json_integer(d.reaction.alert));
            json_object_set_new(decision, "alert", json_integer(d.reaction.alert));
        }
        json_object_set(decision, "reaction", json_object_get(answer, "answer"));
        if (d.reaction.kind == REACT_CONTINUE) {
            json_object_set_new(decision, "reaction", json_string("continue"));
        }
        json_object_set_new(decision, "reason", json_string(d.reason));
        json_object_set_new(decision, "rule", json_string(d.rule ? d.rule : "ok"));
        json_object_set_new(view, "clienthello", clienthello_to_json(ch));
        server_view_set_clienthello(&typed, ch);
        typed.rule = server_rule_from_name(d.rule ? d.rule : "ok");
        typed.reaction = d.reaction.kind;
        typed.refusal_alert = d.reaction.kind == REACT_ALERT ? d.reaction.alert : -1;
        typed.alert_sent = typed.refusal_alert;
        typed.chosen_suite = d.chosen_suite;
        typed.chosen_group = d.chosen_group;
        json_decref(answer);
    }
    clienthello_free(ch);
    free(ch);
    json_object_set_new(view, "decision", decision);
    json_object_set(view, "alert_sent", json_object_get(r, "alert_sent"));
    json_object_set_new(r, "server", view);
    const char *answer = json_string_value(json_object_get(r, "answer"));
    json_object_set_new(
        r, "outcome", json_string(answer && strcmp(answer, "server_hello") == 0 ? "pass" : "fail"));
    if (answer && strcmp(answer, "server_hello") == 0) {
        /* Nothing failed: the diagnosis would only see a hello the server took. */
        const char *suite =
            json_string_value(json_object_get(json_object_get(r, "server_hello"), "suite"));
        char text[256];
        snprintf(text, sizeof text, "The server answers this ClientHello with a ServerHello (%s).",
                 suite ? suite : "suite unknown");
        json_object_set_new(r, "verdict", json_string("handshake-ok"));
        json_object_set_new(r, "explanation", json_string(text));
        json_object_set_new(r, "evidence", json_pack("[s]", text));
        json_object_set_new(r, "fix", json_string("Nothing to fix."));
    } else {
        result_add_diagnosis(r, NULL, &typed, NULL);
        provenance_qualify(r, s->plan.profile, &typed);
    }
    return r;
}
