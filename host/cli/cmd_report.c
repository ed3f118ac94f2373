#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "run_summary.h"

int cmd_report(int argc, char **argv)
{
    if (argc != 2 || argv[1][0] == '-') {
        fprintf(stderr, "usage: tlsrig report DIR\n");
        return 2;
    }
    char err[1024];
    if (run_reports_write(argv[1], NULL, err, sizeof err) < 0) {
        fprintf(stderr, "tlsrig report: %s\n", err);
        return 2;
    }
    printf("reports rebuilt in %s\n", argv[1]);
    return 0;
}
