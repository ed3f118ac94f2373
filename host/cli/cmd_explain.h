/* `tlsrig explain LOGFILE|- [--json]`: diagnose a client debug log brought by a user. */
#ifndef TLSRIG_CMD_EXPLAIN_H
#define TLSRIG_CMD_EXPLAIN_H

#include <stdio.h>

/* argv[0] is "explain". Exit codes: 0 diagnosed (whatever the verdict), 2 usage error or
 * unreadable file. */
int cmd_explain(int argc, char **argv);
/* Same, with the streams given (for tests): in is used for "-". */
int explain_run(int argc, char **argv, FILE *in, FILE *out, FILE *err);

#endif
