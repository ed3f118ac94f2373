/* log_wire_ratio = LOG frames' bytes on the wire / log text bytes, over the
 * happy matrix (happy-* scenarios, debug level 3) on the sim, compact records.
 * Runs `tlsrig run` into a fresh directory (or reads --from DIR) and prints
 * key=value lines with the totals. Issue 16's target: <= 0.25. */
#define _POSIX_C_SOURCE 200809L
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int run_matrix(const char *out, const char *log_wire)
{
    pid_t pid = fork();
    if (pid < 0) {
        return -1;
    }
    if (pid == 0) {
        const char *bin = TLSRIG_BUILD_DIR "/tlsrig";
        execl(bin, bin, "run", "--board", "sim", "--scenario", "happy-*", "--quiet", "--log-wire",
              log_wire, "--out", out, (char *)NULL);
        _exit(127);
    }
    int st = 0;
    if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st)) {
        return -1;
    }
    return WEXITSTATUS(st);
}

int main(int argc, char **argv)
{
    char dir[512];
    const char *log_wire = "compact";
    dir[0] = '\0';
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--from") == 0 && i + 1 < argc) {
            snprintf(dir, sizeof dir, "%s", argv[++i]);
        } else if (strcmp(argv[i], "--log-wire") == 0 && i + 1 < argc) {
            log_wire = argv[++i];
        } else {
            fprintf(stderr, "usage: log_wire_ratio [--from RUN_DIR] [--log-wire compact|text]\n");
            return 2;
        }
    }
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/log_wire_ratio-%d-%ld", (int)getpid(), (long)time(NULL));
        int rc = run_matrix(dir, log_wire);
        if (rc != 0 && rc != 1) {
            fprintf(stderr, "log_wire_ratio: tlsrig run exited %d (%s)\n", rc, dir);
            return 3;
        }
    }
    char path[600];
    snprintf(path, sizeof path, "%s/results.jsonl", dir);
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return 3;
    }
    long long wire = 0, text = 0, undecoded = 0;
    unsigned handshakes = 0;
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        json_t *r = json_loads(line, 0, NULL);
        const char *scen = json_string_value(json_object_get(r, "scenario"));
        json_t *link = json_object_get(r, "link");
        if (r && scen && strncmp(scen, "happy-", 6) == 0 && link) {
            wire += json_integer_value(json_object_get(link, "log_wire_bytes"));
            text += json_integer_value(json_object_get(link, "log_text_bytes"));
            undecoded += json_integer_value(json_object_get(link, "log_undecoded"));
            handshakes++;
        }
        json_decref(r);
    }
    free(line);
    fclose(f);
    if (handshakes == 0 || text == 0) {
        fprintf(stderr, "log_wire_ratio: no happy-* results with log bytes in %s\n", dir);
        return 3;
    }
    double ratio = (double)wire / (double)text;
    printf("run_dir=%s\nlog_wire=%s\nhandshakes=%u\nlog_wire_bytes=%lld\nlog_text_bytes=%lld\n"
           "log_undecoded=%lld\nwire_bytes_per_handshake=%.0f\ntext_bytes_per_handshake=%.0f\n"
           "log_wire_ratio=%.3f\ntarget=0.25\nmet=%s\n",
           dir, log_wire, handshakes, wire, text, undecoded, (double)wire / handshakes,
           (double)text / handshakes, ratio, ratio <= 0.25 && undecoded == 0 ? "yes" : "no");
    return 0;
}
