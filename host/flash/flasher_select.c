#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "flasher.h"
#include "image_stamp.h"

extern const flasher_t flasher_sim;
extern const flasher_t flasher_qemu;

const flasher_t *flasher_for(const board_config_t *b, char *err, size_t errlen)
{
    switch (b->flasher) {
    case FLASHER_SIM:
        return &flasher_sim;
    case FLASHER_QEMU:
        return &flasher_qemu;
    default:
        snprintf(err, errlen, "board %s: flasher not available in this build yet", b->name);
        return NULL;
    }
}

void flasher_stop_process(target_handle_t *t)
{
    if (t->link_fd >= 0) {
        close(t->link_fd);
        t->link_fd = -1;
    }
    if (t->pid > 0) {
        kill(t->pid, SIGKILL);
        (void)waitpid(t->pid, NULL, 0);
        t->pid = 0;
    }
}

/* `cmake --build <build_dir> --target <target>`, output appended to log_path. */
static int run_cmake_build(const char *build_dir, const char *target, const char *log_path,
                           char *err, size_t errlen)
{
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "fork: %s", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        FILE *log = freopen(log_path, "a", stdout);
        if (log) {
            dup2(fileno(stdout), 2);
        }
        execlp("cmake", "cmake", "--build", build_dir, "--target", target, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        snprintf(err, errlen, "building %s failed (see %s)", target, log_path);
        return -1;
    }
    return 0;
}

void image_build_note(const char *log_path, const char *target, bool current, const char *why)
{
    FILE *note = fopen(log_path, "a");
    if (note) {
        fprintf(note, "tlsrig: %s: %s%s\n", target,
                current ? "current, cmake --build not run: " : "cmake --build: ", why);
        fclose(note);
    }
}

int image_build(const char *build_dir, const char *target, const char *log_path, char *err,
                size_t errlen)
{
    /* An image whose inputs did not change since its last build needs no
     * `cmake --build` (image_stamp.h). */
    char image[4200], why[4400];
    size_t n_checked;
    snprintf(image, sizeof image, "%s/images/%s", build_dir, target);
    bool current = image_stamp_current(image, &n_checked, why, sizeof why);
    image_build_note(log_path, target, current, why);
    if (current) {
        return 0;
    }
    image_stamp_begin(image);
    int rc = run_cmake_build(build_dir, target, log_path, err, errlen);
    image_stamp_verified(image, rc == 0);
    return rc;
}
