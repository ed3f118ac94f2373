#define _POSIX_C_SOURCE 200809L
#include "user_image.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "image_stamp.h"

typedef enum step_result { STEP_OK = 0, STEP_FAILED = 2, STEP_NOT_RUN = 3 } step_result_t;

/* `cmake --build <tree> --target <target> --parallel <cpus>`, output appended to log_path.
 * STEP_FAILED when the build exited with an error; STEP_NOT_RUN when it did not run to its
 * end (no cmake, a signal, fork). */
static step_result_t build_step(const char *tree, const char *target, const char *log_path,
                                char *why, size_t cap)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    char jobs[24];
    snprintf(jobs, sizeof jobs, "%ld", cpus > 0 ? cpus : 1);
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(why, cap, "fork: %s", strerror(errno));
        return STEP_NOT_RUN;
    }
    if (pid == 0) {
        FILE *log = freopen(log_path, "a", stdout);
        if (log) {
            dup2(fileno(stdout), 2);
        }
        execlp("cmake", "cmake", "--build", tree, "--target", target, "--parallel", jobs,
               (char *)NULL);
        _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            snprintf(why, cap, "waitpid: %s", strerror(errno));
            return STEP_NOT_RUN;
        }
    }
    if (WIFSIGNALED(status)) {
        snprintf(why, cap, "building %s was killed by signal %d", target, WTERMSIG(status));
        return STEP_NOT_RUN;
    }
    if (WEXITSTATUS(status) == 127) {
        snprintf(why, cap, "cmake could not be run (exit 127)");
        return STEP_NOT_RUN;
    }
    if (WEXITSTATUS(status) != 0) {
        snprintf(why, cap, "building %s failed (exit %d)", target, WEXITSTATUS(status));
        return STEP_FAILED;
    }
    return STEP_OK;
}

/* The first line of the build log with a compiler or linker error, for the message; a CMake
 * error (the port's memory check) with the line after it, which says what failed. */
static void first_error(const char *log_path, char *out, size_t cap)
{
    out[0] = '\0';
    FILE *f = fopen(log_path, "r");
    if (!f) {
        return;
    }
    char line[1024], next[1024] = "";
    while (fgets(line, sizeof line, f)) {
        if (strstr(line, "error:") || strstr(line, "CMake Error") || strstr(line, "overflowed") ||
            strstr(line, "undefined reference")) {
            line[strcspn(line, "\r\n")] = '\0';
            if (strstr(line, "CMake Error") && fgets(next, sizeof next, f)) {
                next[strcspn(next, "\r\n")] = '\0';
            }
            const char *more = next + strspn(next, " \t");
            snprintf(out, cap, "%.400s%s%.300s", line, *more ? " " : "", more);
            break;
        }
    }
    fclose(f);
}

/* A failed build's image and companions: gone, so nothing half-made is ever run. */
static void remove_image(const char *image)
{
    static const char *const k_suffixes[] = {"",     ".buildid",   ".bin",    ".hex",
                                             ".map", ".size.json", ".inputs", ".verified"};
    for (size_t i = 0; i < sizeof k_suffixes / sizeof *k_suffixes; i++) {
        char path[4600];
        snprintf(path, sizeof path, "%s%s", image, k_suffixes[i]);
        (void)unlink(path);
    }
}

static void note(const char *log_path, const char *target, bool current, const char *why)
{
    FILE *f = fopen(log_path, "a");
    if (f) {
        fprintf(f, "tlsrig: %s: %s%s\n", target,
                current ? "current, cmake --build not run: " : "cmake --build: ", why);
        fclose(f);
    }
}

int user_image_build(const user_build_t *b, const user_config_t *c, const char *target,
                     const char *lib, const char *log_path, char *err, size_t errlen)
{
    char image[4500], why[4400];
    size_t n_checked = 0;
    snprintf(image, sizeof image, "%s/images/%s", b->tree, target);
    bool current = image_stamp_current(image, &n_checked, why, sizeof why);
    note(log_path, target, current, why);
    if (current) {
        return 0;
    }
    image_stamp_begin(image);
    /* mbedTLS alone first: a header it does not compile with is said as such. */
    step_result_t rc = build_step(b->tree, lib, log_path, why, sizeof why);
    const char *what = "mbedTLS does not compile with it";
    if (rc == STEP_OK) {
        rc = build_step(b->tree, target, log_path, why, sizeof why);
        what = "the agent's image does not build with it (compile, link or memory budget)";
    }
    image_stamp_verified(image, rc == STEP_OK);
    if (rc == STEP_OK) {
        return 0;
    }
    remove_image(image);
    if (rc == STEP_NOT_RUN) {
        snprintf(err, errlen, "building %s for --config-file %s: %s (see %s)", target, c->path, why,
                 log_path);
        return 3;
    }
    char first[800];
    first_error(log_path, first, sizeof first);
    snprintf(err, errlen,
             "--config-file %s (sha256 %.16s...) does not build for %s: %s; no image was made. "
             "%s%s%s(full output: %s)",
             c->path, c->sha256, target, what, first[0] ? "First error: " : "", first,
             first[0] ? " " : "", log_path);
    return 2;
}
