/* The host and commit of a run (run_origin.h). */
#define _POSIX_C_SOURCE 200809L
#include "run_origin.h"
#include "git_head.h"

#include <ctype.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static bool is_commit(const char *s)
{
    size_t n = strlen(s);
    if (n < 7 || n > 64) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (!isxdigit((unsigned char)s[i])) {
            return false;
        }
    }
    return true;
}

/* `git -C dir rev-parse HEAD` into out; false when git is missing or says no. */
static bool git_head(const char *dir, char *out, size_t cap)
{
    int fds[2];
    if (pipe(fds) != 0) {
        return false;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    char *argv[] = {"git", "-C", (char *)dir, "rev-parse", "HEAD", NULL};
    pid_t pid;
    int rc = posix_spawnp(&pid, "git", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    size_t used = 0;
    if (rc == 0) {
        ssize_t n;
        while (used + 1 < cap && (n = read(fds[0], out + used, cap - 1 - used)) > 0) {
            used += (size_t)n;
        }
    }
    close(fds[0]);
    int status = 0;
    bool ok =
        rc == 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    out[used] = '\0';
    out[strcspn(out, "\r\n")] = '\0';
    return ok && is_commit(out);
}

json_t *run_origin_json(const char *source_dir)
{
    char host[256] = "";
    /* issue 19 cirun: $TLSRIG_HOST names the host when the machine's name says nothing
     * (a CI runner in a container); the farm view of merged runs shows it (docs/ci.md). */
    const char *env_host = getenv("TLSRIG_HOST");
    if (env_host && env_host[0]) {
        snprintf(host, sizeof host, "%s", env_host);
    } else if (gethostname(host, sizeof host - 1) != 0) {
        host[0] = '\0';
    }
    static const char *const vars[] = {"TLSRIG_COMMIT", "CI_COMMIT_SHA", "GITHUB_SHA"};
    char commit[80] = "";
    for (size_t i = 0; i < sizeof vars / sizeof vars[0] && !commit[0]; i++) {
        const char *v = getenv(vars[i]);
        if (v && is_commit(v)) {
            snprintf(commit, sizeof commit, "%s", v);
        }
    }
    /* The repository's own files first: spawning git is 6-7 ms of every run. */
    if (!commit[0] && source_dir && !git_head_read(source_dir, commit, sizeof commit) &&
        !git_head(source_dir, commit, sizeof commit)) {
        commit[0] = '\0';
    }
    return json_pack("{so so}", "host", host[0] ? json_string(host) : json_null(), "commit",
                     commit[0] ? json_string(commit) : json_null());
}
