/* tlsrig unquarantine BOARD: put a board the recovery ladder quarantined back
 * into service (docs/boards.md, "When a board stops answering"). */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

#include "commands.h"
#include "quarantine.h"
#include "safe_name.h"

int cmd_unquarantine(int argc, char **argv)
{
    if (argc != 2 || argv[1][0] == '-') {
        fprintf(stderr, "usage: tlsrig unquarantine BOARD\n");
        return 2;
    }
    const char *board = argv[1];
    if (!safe_name_valid(board)) {
        fprintf(stderr, "tlsrig unquarantine: board name '%s': %s\n", board,
                safe_name_problem(board));
        return 2;
    }
    char path[4400], err[4600];
    snprintf(path, sizeof path, "%s/rig-config/boards/%s.yaml", cli_source_dir(), board);
    bool configured = access(path, F_OK) == 0;
    quarantine_info_t q;
    if (quarantine_get(board, &q, err, sizeof err) != 0) {
        fprintf(stderr, "tlsrig unquarantine: %s\n", err);
        return 3;
    }
    /* A quarantine file of a board whose file was since removed can still be
     * cleared; a name that is neither is a typo. */
    if (!configured && !q.quarantined) {
        fprintf(stderr, "tlsrig unquarantine: unknown board '%s' (no %s, not quarantined)\n", board,
                path);
        return 2;
    }
    bool was = false;
    if (quarantine_clear(board, &was, err, sizeof err) != 0) {
        fprintf(stderr, "tlsrig unquarantine: %s\n", err);
        return 3;
    }
    if (was) {
        printf("%s: quarantine cleared (removed %s)\n", board, q.path);
    } else {
        printf("%s: not quarantined (no %s)\n", board, q.path);
    }
    return 0;
}
