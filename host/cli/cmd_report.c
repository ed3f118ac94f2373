/* tlsrig report DIR: rebuild every report from DIR/results.jsonl and say
 * what the run amounts to. Exit 0 when the run is complete and every
 * expectation met; 1 when an expectation was not met, a scenario never ran
 * (a run cut short) or completeness is unknown; 3 with an infrastructure
 * error or when a report cannot be written; 2 on usage errors or an
 * unreadable run. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "run_summary.h"

int cmd_report(int argc, char **argv)
{
    if (argc != 2 || argv[1][0] == '-' || !argv[1][0]) {
        fprintf(stderr, "usage: tlsrig report DIR\n");
        return 2;
    }
    char err[1024];
    json_t *verdict = NULL;
    int wrc = run_reports_write(argv[1], NULL, &verdict, err, sizeof err);
    if (wrc != 0) {
        fprintf(stderr, "tlsrig report: %s\n", err);
        return wrc;
    }
    run_summary_print(stdout, verdict, NULL);
    printf("reports rebuilt in %s\n", argv[1]);
    int rc = (int)json_integer_value(json_object_get(verdict, "exit"));
    json_decref(verdict);
    return rc;
}
