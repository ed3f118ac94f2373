#define _POSIX_C_SOURCE 200809L
#include "e2e_util.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *build_dir(void)
{
    const char *b = getenv("TLSRIG_BUILD_DIR");
    cr_assert(b != NULL, "TLSRIG_BUILD_DIR not set");
    return b;
}

void e2e_tmpdir(const char *name, char *out, size_t cap)
{
    snprintf(out, cap, "%s/e2e-tmp/%s-%d", build_dir(), name, (int)getpid());
    char cmd[4300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", out, out);
    cr_assert_eq(system(cmd), 0);
}

static void exec_tlsrig(const char *const *args)
{
    char bin[4096];
    snprintf(bin, sizeof bin, "%s/tlsrig", build_dir());
    const char *argv[64];
    size_t n = 0;
    argv[n++] = bin;
    for (; *args && n < 63; args++) {
        argv[n++] = *args;
    }
    argv[n] = NULL;
    execv(bin, (char *const *)argv);
    _exit(127);
}

int e2e_run(const char *out_file, const char *const *args)
{
    return e2e_run_err(out_file, NULL, args);
}

int e2e_run_err(const char *out_file, const char *err_file, const char *const *args)
{
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        int fd = open(out_file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            dup2(fd, 1);
        }
        int efd = err_file ? open(err_file, O_WRONLY | O_CREAT | O_TRUNC, 0644) : -1;
        if (efd >= 0) {
            dup2(efd, 2);
        }
        exec_tlsrig(args);
    }
    int status = 0;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFEXITED(status), "tlsrig did not exit normally");
    return WEXITSTATUS(status);
}

pid_t e2e_spawn(const char *const *args, int *fd_out)
{
    int p[2];
    cr_assert_eq(pipe(p), 0);
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        close(p[0]);
        dup2(p[1], 1);
        exec_tlsrig(args);
    }
    close(p[1]);
    *fd_out = p[0];
    return pid;
}

char *e2e_slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1u);
    size_t got = fread(buf, 1, (size_t)n, f);
    buf[got] = '\0';
    fclose(f);
    return buf;
}

json_t *e2e_results(const char *dir)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/results.jsonl", dir);
    char *text = e2e_slurp(path);
    if (!text) {
        return NULL;
    }
    json_t *arr = json_array();
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        json_error_t je;
        json_t *o = json_loads(line, 0, &je);
        cr_assert(o != NULL, "results.jsonl line does not parse: %s (%s)", je.text, line);
        json_array_append_new(arr, o);
    }
    free(text);
    return arr;
}

json_t *e2e_targets(json_t *results)
{
    json_t *out = json_array();
    size_t i;
    json_t *r;
    json_array_foreach(results, i, r)
    {
        const char *k = json_string_value(json_object_get(r, "kind"));
        if (k && strcmp(k, "target") == 0) {
            json_array_append(out, r);
        }
    }
    json_decref(results);
    return out;
}

json_t *e2e_find(json_t *results, const char *scenario)
{
    size_t i;
    json_t *r;
    json_array_foreach(results, i, r)
    {
        const char *s = json_string_value(json_object_get(r, "scenario"));
        if (s && strcmp(s, scenario) == 0) {
            return r;
        }
    }
    return NULL;
}
