/* Fork/exec of the built tlsrig with both output streams sent to files in the build tree. */
#define _POSIX_C_SOURCE 200809L
#include "run_tlsrig.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *env_dir(const char *name)
{
    const char *v = getenv(name);
    cr_assert_not_null(v, "%s is not set (run through ctest)", name);
    return v;
}

void source_path(const char *rel, char *out, size_t cap)
{
    snprintf(out, cap, "%s/%s", env_dir("TLSRIG_SOURCE_DIR"), rel);
}

void fresh_dir(const char *name, char *out, size_t cap)
{
    char parent[4096];
    snprintf(parent, sizeof parent, "%s/test-scenario", env_dir("TLSRIG_BUILD_DIR"));
    mkdir(parent, 0755);
    snprintf(out, cap, "%s/%s", parent, name);
    char cmd[8400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", out); /* paths come from the build, not the user */
    cr_assert_eq(system(cmd), 0);
}

char *slurp_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    cr_assert_not_null(buf);
    size_t n;
    while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len < 2) {
            cap *= 2;
            buf = realloc(buf, cap);
            cr_assert_not_null(buf);
        }
    }
    fclose(f);
    buf[len] = '\0';
    return buf;
}

tlsrig_run_t run_program(const char *const *argv)
{
    char out_path[4200], err_path[4200];
    snprintf(out_path, sizeof out_path, "%s/test-run-%ld.stdout", env_dir("TLSRIG_BUILD_DIR"),
             (long)getpid());
    snprintf(err_path, sizeof err_path, "%s/test-run-%ld.stderr", env_dir("TLSRIG_BUILD_DIR"),
             (long)getpid());
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        int fo = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int fe = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int fi = open("/dev/null", O_RDONLY);
        if (fo < 0 || fe < 0 || fi < 0 || chdir(getenv("TLSRIG_SOURCE_DIR")) != 0)
            _exit(126);
        dup2(fo, 1);
        dup2(fe, 2);
        dup2(fi, 0);
        execvp(argv[0], (char *const *)argv);
        _exit(127);
    }
    int status = 0;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    tlsrig_run_t r = {.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1};
    r.out = slurp_file(out_path);
    r.err = slurp_file(err_path);
    cr_assert(r.out && r.err, "no captured output");
    unlink(out_path);
    unlink(err_path);
    return r;
}

tlsrig_run_t run_tlsrig(const char *const *args)
{
    char bin[4096];
    snprintf(bin, sizeof bin, "%s/tlsrig", env_dir("TLSRIG_BUILD_DIR"));
    const char *argv[64];
    size_t n = 0;
    argv[n++] = bin;
    for (; *args && n < 63; args++)
        argv[n++] = *args;
    argv[n] = NULL;
    return run_program(argv);
}

void run_tlsrig_free(tlsrig_run_t *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}
