/* rig_bench: what the rig costs per handshake on sim, against raw mbedTLS.
 *
 *   rig_scenario_period_ms = median over every scenario of both rig runs of
 *     (its start - the previous scenario's start), from results.jsonl's
 *     started_us: everything that recurs per scenario while the run goes (its
 *     server, CA upload, the agent's handshake with its debug log over the
 *     link, result and log writing, the previous result's work in the
 *     background).
 *   rig_end_of_run_share_ms = (median tail(2R) - median tail(R)) / R, a tail
 *     being the time from a run's last scenario start to its exit: the end of
 *     a run grows with its results (the reports), this is each one's share.
 *   rig_per_handshake_ms = period + end-of-run share; nothing paid once per run.
 *   raw_handshake_ms = median of every raw in-process handshake of all samples
 *     (raw_handshake.h: same suite, group and chain, TCP_NODELAY, no log).
 *   rig_vs_raw_ratio = rig_per_handshake_ms / raw_handshake_ms: a median
 *     against a median. The means follow as *_mean_ms and mean_rig_vs_raw_ratio.
 *   rig_marginal_handshake_ms = (wall(--repeat 2R) - wall(--repeat R)) / R,
 *     the figure this benchmark reported first; the difference of two run
 *     times, it carries every stall of either run, so on a machine whose speed
 *     swings it is the noisiest of these (docs/building.md).
 *   repeat10_vs_raw10_ratio = wall(tlsrig run ... --repeat 10) / (time of
 *     ten raw handshakes in a row, after 40 of warm-up).
 * Each wall time is the median of --samples runs (default 3); a sample runs
 * raw, --repeat R and --repeat 2R, in the reverse order every other sample,
 * so that a slow spell of the machine falls on both sides. The same ratios
 * in CPU time (user + system of tlsrig and the agent; of both raw threads)
 * follow as cpu_*: on a shared machine waits stretch wall times, CPU time
 * much less; the 1-minute load average is printed to judge.
 *
 * Where the runs write (--out-root, default /dev/shm when it is a tmpfs, else /tmp): a run
 * makes four files per handshake (its log, the server's log and capture, their folder); on
 * ext4 without a journal (this project's CI machines) each creation scans the inodes deleted
 * in the last minutes, 30 us to 0.7 ms a file with what else ran there, so on disk the
 * figures measure the file system as much as the rig (docs/building.md). out_root and
 * out_fs are printed.
 *
 * usage: rig_bench [--scenario NAME] [--samples K] [--repeat R] [--tlsrig PATH] [--out-root DIR]
 *   --tlsrig: the tlsrig binary to measure (default: this build's), e.g. an older build's
 *   copy for a before/after comparison; with TLSRIG_SOURCE_DIR and TLSRIG_BUILD_DIR set to
 *   this tree both use the same images, scenarios and certificate cache (another tree's
 *   files, elsewhere on the disk, made a difference of their own). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <jansson.h>
#include <mbedtls/ecp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "certs.h"
#include "raw_handshake.h"

#define MAX_SAMPLES 15
#define RAW_N 50

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Every run's output lives under one directory, removed at exit, not after
 * each run: on ext4 without a journal, creating a file skips over every
 * inode deleted in the last 30 s (recently_deleted()), so a removal between
 * runs made the next run's file creations several times dearer. */
static char bench_dir[4200];

static void remove_bench_dir(void)
{
    char rm[4300];
    snprintf(rm, sizeof rm, "rm -rf '%s'", bench_dir);
    if (system(rm) != 0) {
        fprintf(stderr, "rig_bench: could not remove %s\n", bench_dir);
    }
}

#define TMPFS_MAGIC_NUMBER 0x01021994
#define EXT4_MAGIC_NUMBER 0xEF53

static bool is_tmpfs(const char *dir)
{
    struct statfs fs;
    return statfs(dir, &fs) == 0 && fs.f_type == TMPFS_MAGIC_NUMBER;
}

static const char *fs_name(const char *dir)
{
    struct statfs fs;
    if (statfs(dir, &fs) != 0) {
        return "unknown";
    }
    return fs.f_type == TMPFS_MAGIC_NUMBER  ? "tmpfs"
           : fs.f_type == EXT4_MAGIC_NUMBER ? "ext2/3/4"
                                            : "other";
}

static double loadavg(void)
{
    double l = -1;
    FILE *f = fopen("/proc/loadavg", "r");
    if (f && fscanf(f, "%lf", &l) != 1) {
        l = -1;
    }
    if (f) {
        fclose(f);
    }
    return l;
}

static double cpu_ms(const struct rusage *u)
{
    return (double)(u->ru_utime.tv_sec + u->ru_stime.tv_sec) * 1e3 +
           (double)(u->ru_utime.tv_usec + u->ru_stime.tv_usec) / 1e3;
}

/* Scenario periods of the runs so far (start to the next scenario's start). */
#define MAX_CYCLES (MAX_SAMPLES * 3 * (RAW_N - 10))
static double g_cycles[MAX_CYCLES];
static size_t g_ncycles;

static int cmp_i64(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return x < y ? -1 : x > y;
}

/* Reads a run's results.jsonl: the mean of its results' duration_ms, the last
 * scenario's start (realtime us), and each period between consecutive scenario
 * starts into g_cycles. -1 if unreadable. */
static int read_results(const char *out, double *mean_duration, long long *last_start)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/results.jsonl", out);
    FILE *f = fopen(path, "r");
    if (!f) {
        return -1;
    }
    double sum = 0;
    long long starts[2 * RAW_N];
    size_t n = 0;
    char line[1 << 16];
    while (fgets(line, sizeof line, f)) {
        json_t *r = json_loads(line, 0, NULL);
        const char *kind = json_string_value(json_object_get(r, "kind"));
        if (kind && strcmp(kind, "target") == 0 && n < sizeof starts / sizeof *starts) {
            sum += json_number_value(json_object_get(r, "duration_ms"));
            starts[n++] = (long long)json_integer_value(json_object_get(r, "started_us"));
        }
        json_decref(r);
    }
    fclose(f);
    *mean_duration = n ? sum / (double)n : -1;
    qsort(starts, n, sizeof *starts, cmp_i64);
    *last_start = n ? starts[n - 1] : 0;
    for (size_t i = 1; i < n && g_ncycles < MAX_CYCLES; i++) {
        g_cycles[g_ncycles++] = (double)(starts[i] - starts[i - 1]) / 1e3;
    }
    return n ? 0 : -1;
}

/* One `tlsrig run --board sim --scenario S --repeat R` into a fresh dir;
 * its wall time in ms (and its results, read_results), or -1. */
static const char *g_tlsrig = TLSRIG_BIN; /* --tlsrig: another build's, for A/B */

static long long realtime_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

/* *tail: from the last scenario's start to the run's exit (ms): that scenario, then the
 * work at the end of a run that grows with its results (the reports). */
static double run_rig(const char *scenario, unsigned repeat, double *mean_duration, double *cpu,
                      double *tail)
{
    char out[4300], rep[16];
    static unsigned seq;
    snprintf(out, sizeof out, "%s/%u", bench_dir, seq++);
    snprintf(rep, sizeof rep, "%u", repeat);
    struct rusage before;
    getrusage(RUSAGE_CHILDREN, &before);
    double t0 = now_ms();
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stdout)) {
            _exit(127);
        }
        execl(g_tlsrig, g_tlsrig, "run", "--board", "sim", "--scenario", scenario, "--repeat", rep,
              "--quiet", "--out", out, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "rig_bench: tlsrig run --repeat %u failed (see %s)\n", repeat, out);
        return -1;
    }
    double wall = now_ms() - t0;
    long long exited = realtime_us();
    /* tlsrig and what it reaped (the agent, cmake when it ran). */
    struct rusage after;
    getrusage(RUSAGE_CHILDREN, &after);
    *cpu = cpu_ms(&after) - cpu_ms(&before);
    long long last_start = 0;
    if (read_results(out, mean_duration, &last_start) != 0) {
        fprintf(stderr, "rig_bench: %s/results.jsonl: no results\n", out);
        return -1;
    }
    *tail = (double)(exited - last_start) / 1e3;
    return wall;
}

static double mean(const double *v, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) {
        s += v[i];
    }
    return n ? s / (double)n : 0;
}

int main(int argc, char **argv)
{
    const char *scenario = "happy-ecdhe-rsa-aes128-gcm-p256";
    unsigned samples = 3, repeat = 10;
    const char *out_root = is_tmpfs("/dev/shm") ? "/dev/shm" : "/tmp";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--scenario") == 0) {
            scenario = argv[i + 1];
        } else if (strcmp(argv[i], "--samples") == 0) {
            samples = (unsigned)atoi(argv[i + 1]);
        } else if (strcmp(argv[i], "--repeat") == 0) {
            repeat = (unsigned)atoi(argv[i + 1]);
        } else if (strcmp(argv[i], "--tlsrig") == 0) {
            g_tlsrig = argv[i + 1];
        } else if (strcmp(argv[i], "--out-root") == 0) {
            out_root = argv[i + 1];
        } else {
            fprintf(stderr, "usage: rig_bench [--scenario NAME] [--samples K] [--repeat R] "
                            "[--tlsrig PATH] [--out-root DIR]\n");
            return 2;
        }
    }
    if (samples == 0 || samples > MAX_SAMPLES || repeat == 0 || repeat > RAW_N - 10) {
        fprintf(stderr, "rig_bench: --samples 1..%d, --repeat 1..%d\n", MAX_SAMPLES, RAW_N - 10);
        return 2;
    }
    if (strcmp(scenario, "happy-ecdhe-rsa-aes128-gcm-p256") != 0) {
        /* The raw side is set up for this scenario's suite, group and chain. */
        fprintf(stderr, "rig_bench: only happy-ecdhe-rsa-aes128-gcm-p256 has a raw twin\n");
        return 2;
    }
    if (strlen(out_root) > 4000 || strchr(out_root, '\'')) {
        fprintf(stderr, "rig_bench: --out-root: a path under 4000 bytes without a quote\n");
        return 2;
    }
    snprintf(bench_dir, sizeof bench_dir, "%s/rig_bench-%ld", out_root, (long)getpid());
    if (mkdir(bench_dir, 0700) != 0) {
        fprintf(stderr, "rig_bench: mkdir %s: %s\n", bench_dir, strerror(errno));
        return 3;
    }
    atexit(remove_bench_dir);
    char err[512];
    cert_chain_files_t chain;
    char recipes[1024], cache[1024];
    snprintf(recipes, sizeof recipes, "%s/fixtures/certs/recipes.yaml", TLSRIG_SOURCE_DIR);
    snprintf(cache, sizeof cache, "%s/.cache/certs", TLSRIG_SOURCE_DIR);
    if (certs_ensure(recipes, cache, "rsa2048", &chain, err, sizeof err) != 0) {
        fprintf(stderr, "rig_bench: %s\n", err);
        return 3;
    }
    /* The scenario: TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256, secp256r1, the
     * default profile's rsa2048 chain, SNI localhost, trust test-root-rsa. */
    raw_setup_t rs = {.chain_pem = chain.chain_pem,
                      .key_pem = chain.key_pem,
                      .ca_pem = chain.ca_pem,
                      .hostname = "localhost",
                      .suite = 0xC02F,
                      .group_id = MBEDTLS_ECP_DP_SECP256R1};
    static double raw[MAX_SAMPLES * RAW_N];
    double raw10[MAX_SAMPLES];
    double w1[MAX_SAMPLES], w2[MAX_SAMPLES], d1[MAX_SAMPLES], dur;
    double tail1[MAX_SAMPLES], tail2[MAX_SAMPLES];
    double c1[MAX_SAMPLES], c2[MAX_SAMPLES], craw[MAX_SAMPLES];
    for (unsigned k = 0; k < samples; k++) {
        /* raw, R, 2R; then 2R, R, raw: a slow spell hits both sides alike. */
        for (unsigned step = 0; step < 3; step++) {
            unsigned what = k % 2 ? 2 - step : step;
            if (what == 1) {
                w1[k] = run_rig(scenario, repeat, &d1[k], &c1[k], &tail1[k]);
                if (w1[k] < 0) {
                    return 3;
                }
                continue;
            }
            if (what == 2) {
                w2[k] = run_rig(scenario, 2 * repeat, &dur, &c2[k], &tail2[k]);
                if (w2[k] < 0) {
                    return 3;
                }
                continue;
            }
            double *mine = raw + (size_t)k * RAW_N;
            struct rusage u0, u1;
            getrusage(RUSAGE_SELF, &u0);
            int raw_rc = raw_handshakes(&rs, RAW_N, mine, err, sizeof err);
            getrusage(RUSAGE_SELF, &u1);
            craw[k] = (cpu_ms(&u1) - cpu_ms(&u0)) / RAW_N; /* both threads */
            if (raw_rc != 0) {
                fprintf(stderr, "rig_bench: raw: %s\n", err);
                return 3;
            }
            raw10[k] = 0;
            for (size_t i = RAW_N - repeat; i < RAW_N; i++) {
                raw10[k] += mine[i]; /* `repeat` in a row, after warm-up */
            }
        }
    }
    size_t nraw = (size_t)samples * RAW_N;
    double raw_mean = mean(raw, nraw);
    double raw_ms = median(raw, nraw);
    double period = median(g_cycles, g_ncycles);
    /* The end of a run grows with its results (the reports): each scenario's share. */
    double tail_share = (median(tail2, samples) - median(tail1, samples)) / repeat;
    double per = period + tail_share;
    double raw10_ms = median(raw10, samples);
    double wall1 = median(w1, samples), wall2 = median(w2, samples);
    double marginal = (wall2 - wall1) / repeat;
    printf("scenario=%s\n", scenario);
    printf("samples=%u\n", samples);
    printf("out_root=%s\n", out_root);
    printf("out_fs=%s\n", fs_name(bench_dir));
    printf("raw_handshake_ms=%.3f\n", raw_ms);
    printf("raw_handshake_mean_ms=%.3f\n", raw_mean);
    printf("raw_%u_handshakes_ms=%.3f\n", repeat, raw10_ms);
    printf("rig_repeat%u_wall_ms=%.1f\n", repeat, wall1);
    printf("rig_repeat%u_wall_ms=%.1f\n", 2 * repeat, wall2);
    printf("rig_result_duration_ms_mean=%.3f\n", median(d1, samples));
    printf("rig_scenarios_timed=%zu\n", g_ncycles);
    printf("rig_scenario_period_ms=%.3f\n", period);
    printf("rig_end_of_run_share_ms=%.3f\n", tail_share);
    printf("rig_per_handshake_ms=%.3f\n", per);
    double per_mean = mean(g_cycles, g_ncycles) + tail_share;
    printf("rig_per_handshake_mean_ms=%.3f\n", per_mean);
    printf("rig_marginal_handshake_ms=%.3f\n", marginal);
    printf("rig_vs_raw_ratio=%.2f\n", per / raw_ms);
    printf("mean_rig_vs_raw_ratio=%.2f\n", per_mean / raw_mean);
    printf("marginal_rig_vs_raw_ratio=%.2f\n", marginal / raw_ms);
    printf("repeat%u_vs_raw%u_ratio=%.2f\n", repeat, repeat, wall1 / raw10_ms);
    /* CPU time (user + system) does not grow with a busy machine's waits:
     * the same two figures as CPU, for runs on a shared host. */
    double cpu_raw = median(craw, samples);
    double cpu_per = (median(c2, samples) - median(c1, samples)) / repeat; /* a marginal */
    printf("cpu_raw_handshake_ms=%.3f\n", cpu_raw);
    printf("cpu_rig_per_handshake_ms=%.3f\n", cpu_per);
    printf("cpu_rig_vs_raw_ratio=%.2f\n", cpu_per / cpu_raw);
    printf("cpu_repeat%u_vs_raw%u_ratio=%.2f\n", repeat, repeat,
           median(c1, samples) / (cpu_raw * repeat));
    printf("loadavg_1min=%.2f\n", loadavg());
    return 0;
}
