/* Join the client log, the agent's RESULT and the server's view into a
 * diagnosis, and put it on the result: verdict, explanation, evidence, fix,
 * candidates. */
#ifndef TLSRIG_RESULT_DIAGNOSIS_H
#define TLSRIG_RESULT_DIAGNOSIS_H

#include <jansson.h>

/* log_path may be NULL or missing. Returns 0, or -1 when nothing could be said. */
int result_add_diagnosis(json_t *result, const char *log_path);

/* The server's capture view in the shape host/diagnose reads. New reference. */
json_t *server_view_for_diagnosis(const json_t *view);

#endif
