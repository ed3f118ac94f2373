#include "recovery_record.h"

static const char *result_name(int result)
{
    return result == 0 ? "recovered" : result == -2 ? "skipped" : "failed";
}

json_t *recovery_outcome_json(const recovery_outcome_t *o)
{
    json_t *steps = json_array();
    for (unsigned i = 0; steps && i < o->n_steps && i < sizeof o->steps / sizeof o->steps[0]; i++) {
        const recovery_step_t *s = &o->steps[i];
        if (json_array_append_new(steps,
                                  json_pack("{ss ss ss si}", "rung", recovery_rung_name(s->rung),
                                            "result", result_name(s->result), "why", s->why, "ms",
                                            (json_int_t)s->ms)) != 0) {
            json_decref(steps);
            return NULL;
        }
    }
    if (!steps) {
        return NULL;
    }
    return json_pack("{ss sb so}", "recovered_by", recovery_rung_name(o->recovered_by),
                     "quarantined", o->quarantined, "steps", steps);
}

int recovery_record_set(json_t *result, const recovery_outcome_t *o)
{
    json_t *r = recovery_outcome_json(o);
    return r ? json_object_set_new(result, "recovery", r) : -1;
}

json_t *quarantine_info_json(const quarantine_info_t *q)
{
    if (!q->quarantined) {
        return json_null();
    }
    return json_pack("{ss ss ss}", "since", q->since, "reason", q->reason, "file", q->path);
}
