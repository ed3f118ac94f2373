/* Builds a scenario's typed plan from its loaded fields and the checked YAML
 * (for lines): every value checked, every name resolved to an id. Internal to
 * the scenario loader. */
#ifndef TLSRIG_SCENARIO_PLAN_H
#define TLSRIG_SCENARIO_PLAN_H

#include <stddef.h>

#include "config_yaml.h"
#include "scenario.h"

/* 0, or -1 with "file:line: key 'path': problem" in err. */
int scenario_plan_build(scenario_t *s, const config_yaml_t *cy, char *err, size_t errlen);
void scenario_plan_free(scenario_plan_t *plan);

#endif
