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
 *   raw_handshake_ms = median of every raw in-process handshake of all raw blocks
 *     (raw_handshake.h: same suite, group and chain, TCP_NODELAY, no log).
 *   rig_vs_raw_ratio = rig_per_handshake_ms / raw_handshake_ms: a median
 *     against a median. The means follow as *_mean_ms and mean_rig_vs_raw_ratio.
 *   per_run_rig_vs_raw_ratio_q1/_median/_q3: each rig run's own ratio (its
 *     median period plus the end-of-run share, against the mean of the medians
 *     of the raw blocks just before and after it), their quartiles: how far the
 *     machine's speed moved the figure within this one run.
 *   rig_marginal_handshake_ms = (wall(--repeat 2R) - wall(--repeat R)) / R,
 *     the figure this benchmark reported first; the difference of two run
 *     times, it carries every stall of either run, so on a machine whose speed
 *     swings it is the noisiest of these (docs/building.md).
 *   repeat10_vs_raw10_ratio = median wall(tlsrig run ... --repeat 10) / median
 *     time of ten raw handshakes in a row (the last ten of each raw block).
 * The order: a raw block (R + 20 handshakes, the first 20 warming the process's caches),
 * a rig run, a raw block, a rig run, ..., a raw block: every rig run between two raw blocks,
 * the runs alternating --repeat R and 2R, which comes first swapped every other sample,
 * so that a slow spell of the machine falls on both sides. --samples K (default 12, about
 * 13 s) is K pairs of rig runs: this machine's speed swings by a third within a second,
 * and the default used to be 3, whose single figures spread over +-0.1 (docs/building.md).
 * The same ratios in CPU time (user + system of tlsrig and the agent; of both raw threads)
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

#define MAX_SAMPLES 40
#define MAX_REPEAT 40

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

/* Scenario periods of every rig run (start to the next scenario's start), pooled. */
#define MAX_CYCLES (MAX_SAMPLES * 2 * 3 * MAX_REPEAT)
static double g_cycles[MAX_CYCLES];
static size_t g_ncycles;

static int cmp_i64(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return x < y ? -1 : x > y;
}

/* One `tlsrig run --board sim --scenario S --repeat R` and what it measured. */
typedef struct rig_run {
    unsigned repeat;
    double wall_ms;  /* process start to exit */
    double cpu_ms;   /* user + system of tlsrig and what it reaped (the agent) */
    double tail_ms;  /* its last scenario's start to its exit */
    double duration; /* mean of its results' duration_ms */
    double period;   /* median of its own scenario periods */
} rig_run_t;

/* Reads a run's results.jsonl: the mean of its results' duration_ms, the last scenario's start
 * (realtime us), the median of its periods between consecutive scenario starts, each of which
 * also goes to g_cycles. -1 if unreadable. */
static int read_results(const char *out, rig_run_t *run, long long *last_start)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/results.jsonl", out);
    FILE *f = fopen(path, "r");
    if (!f) {
        return -1;
    }
    double sum = 0;
    long long starts[2 * MAX_REPEAT];
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
    if (n < 2) {
        return -1;
    }
    run->duration = sum / (double)n;
    qsort(starts, n, sizeof *starts, cmp_i64);
    *last_start = starts[n - 1];
    double mine[2 * MAX_REPEAT];
    for (size_t i = 1; i < n; i++) {
        mine[i - 1] = (double)(starts[i] - starts[i - 1]) / 1e3;
        if (g_ncycles < MAX_CYCLES) {
            g_cycles[g_ncycles++] = mine[i - 1];
        }
    }
    run->period = median(mine, n - 1);
    return 0;
}

static const char *g_tlsrig = TLSRIG_BIN; /* --tlsrig: another build's, for A/B */

static long long realtime_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

/* Runs tlsrig with run->repeat into a fresh folder of bench_dir; 0, or -1 said on stderr. */
static int run_rig(const char *scenario, rig_run_t *run)
{
    char out[4300], rep[16];
    static unsigned seq;
    snprintf(out, sizeof out, "%s/%u", bench_dir, seq++);
    snprintf(rep, sizeof rep, "%u", run->repeat);
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
        fprintf(stderr, "rig_bench: tlsrig run --repeat %u failed (see %s)\n", run->repeat, out);
        return -1;
    }
    run->wall_ms = now_ms() - t0;
    long long exited = realtime_us();
    struct rusage after;
    getrusage(RUSAGE_CHILDREN, &after);
    run->cpu_ms = cpu_ms(&after) - cpu_ms(&before);
    long long last_start = 0;
    if (read_results(out, run, &last_start) != 0) {
        fprintf(stderr, "rig_bench: %s/results.jsonl: fewer than two results\n", out);
        return -1;
    }
    run->tail_ms = (double)(exited - last_start) / 1e3;
    return 0;
}

/* One call of raw_handshakes: `n` handshakes (the first `RAW_WARMUP` set up the process's
 * caches and the key's blinding), their median, the last `repeat` in a row summed, and the
 * CPU time per handshake of both threads. Every handshake also goes to g_raw. */
typedef struct raw_block {
    double median;
    double last_sum; /* the last `repeat` handshakes, one after the other */
    double cpu_per;
} raw_block_t;

#define RAW_WARMUP 20
#define MAX_BLOCKS (2 * MAX_SAMPLES + 1)
static double g_raw[MAX_BLOCKS * (MAX_REPEAT + RAW_WARMUP)];
static size_t g_nraw;

static int run_raw_block(const raw_setup_t *rs, size_t n, unsigned repeat, raw_block_t *out,
                         char *err, size_t errlen)
{
    double ms[MAX_REPEAT + RAW_WARMUP];
    struct rusage u0, u1;
    getrusage(RUSAGE_SELF, &u0);
    int rc = raw_handshakes(rs, n, ms, err, errlen);
    getrusage(RUSAGE_SELF, &u1);
    if (rc != 0) {
        return -1;
    }
    out->cpu_per = (cpu_ms(&u1) - cpu_ms(&u0)) / (double)n;
    out->last_sum = 0;
    for (size_t i = n - repeat; i < n; i++) {
        out->last_sum += ms[i];
    }
    memcpy(g_raw + g_nraw, ms, n * sizeof *ms);
    g_nraw += n;
    out->median = median(ms, n);
    return 0;
}

static double mean(const double *v, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) {
        s += v[i];
    }
    return n ? s / (double)n : 0;
}

/* The q-quantile (0..1) of v by the nearest rank; sorts v. */
static double quantile(double *v, size_t n, double q)
{
    qsort(v, n, sizeof *v, cmp_double);
    size_t i = (size_t)(q * (double)(n - 1) + 0.5);
    return v[i < n ? i : n - 1];
}

/* Figures of runs of one length: the median of wall, tail, CPU and duration. */
typedef struct by_repeat {
    double wall, tail, cpu, duration;
} by_repeat_t;

static by_repeat_t of_repeat(const rig_run_t *runs, size_t nruns, unsigned repeat)
{
    double w[2 * MAX_SAMPLES], t[2 * MAX_SAMPLES], c[2 * MAX_SAMPLES], d[2 * MAX_SAMPLES];
    size_t n = 0;
    for (size_t i = 0; i < nruns; i++) {
        if (runs[i].repeat == repeat) {
            w[n] = runs[i].wall_ms;
            t[n] = runs[i].tail_ms;
            c[n] = runs[i].cpu_ms;
            d[n++] = runs[i].duration;
        }
    }
    return (by_repeat_t){median(w, n), median(t, n), median(c, n), median(d, n)};
}

/* Prints every figure (the file's head comment defines them). Run i sits between raw blocks
 * i and i + 1. */
static void report(const char *scenario, unsigned samples, const char *out_root, unsigned repeat,
                   const raw_block_t *blocks, size_t nblocks, const rig_run_t *runs, size_t nruns)
{
    by_repeat_t one = of_repeat(runs, nruns, repeat), two = of_repeat(runs, nruns, 2 * repeat);
    double tail_share = (two.tail - one.tail) / repeat;
    double raw_mean = mean(g_raw, g_nraw), raw_ms = median(g_raw, g_nraw);
    double period_mean = mean(g_cycles, g_ncycles), period = median(g_cycles, g_ncycles);
    double per = period + tail_share;
    double paired[2 * MAX_SAMPLES], paired10[MAX_SAMPLES], raw10[MAX_BLOCKS], craw[MAX_BLOCKS];
    size_t n10 = 0;
    for (size_t i = 0; i < nruns; i++) {
        double around = (blocks[i].median + blocks[i + 1].median) / 2;
        paired[i] = (runs[i].period + tail_share) / around;
        if (runs[i].repeat == repeat) {
            paired10[n10++] = runs[i].wall_ms / ((blocks[i].last_sum + blocks[i + 1].last_sum) / 2);
        }
    }
    for (size_t b = 0; b < nblocks; b++) {
        raw10[b] = blocks[b].last_sum;
        craw[b] = blocks[b].cpu_per;
    }
    double raw10_ms = median(raw10, nblocks);
    printf("scenario=%s\n", scenario);
    printf("samples=%u\n", samples);
    printf("out_root=%s\n", out_root);
    printf("out_fs=%s\n", fs_name(bench_dir));
    printf("raw_handshakes=%zu\n", g_nraw);
    printf("raw_handshake_ms=%.3f\n", raw_ms);
    printf("raw_handshake_mean_ms=%.3f\n", raw_mean);
    printf("raw_%u_handshakes_ms=%.3f\n", repeat, raw10_ms);
    printf("rig_repeat%u_wall_ms=%.1f\n", repeat, one.wall);
    printf("rig_repeat%u_wall_ms=%.1f\n", 2 * repeat, two.wall);
    printf("rig_result_duration_ms_mean=%.3f\n", one.duration);
    printf("rig_scenarios_timed=%zu\n", g_ncycles);
    printf("rig_scenario_period_ms=%.3f\n", period);
    printf("rig_end_of_run_share_ms=%.3f\n", tail_share);
    printf("rig_per_handshake_ms=%.3f\n", per);
    printf("rig_per_handshake_mean_ms=%.3f\n", period_mean + tail_share);
    printf("rig_marginal_handshake_ms=%.3f\n", (two.wall - one.wall) / repeat);
    printf("mean_rig_vs_raw_ratio=%.2f\n", (period_mean + tail_share) / raw_mean);
    printf("marginal_rig_vs_raw_ratio=%.2f\n", (two.wall - one.wall) / repeat / raw_ms);
    printf("rig_vs_raw_ratio=%.2f\n", per / raw_ms);
    /* How the machine moved: each run's own ratio against the raw blocks around it. */
    printf("per_run_rig_vs_raw_ratio_q1=%.2f\n", quantile(paired, nruns, 0.25));
    printf("per_run_rig_vs_raw_ratio_median=%.2f\n", quantile(paired, nruns, 0.5));
    printf("per_run_rig_vs_raw_ratio_q3=%.2f\n", quantile(paired, nruns, 0.75));
    printf("repeat%u_vs_raw%u_ratio=%.2f\n", repeat, repeat, one.wall / raw10_ms);
    printf("per_run_repeat%u_vs_raw%u_ratio_q1=%.2f\n", repeat, repeat,
           quantile(paired10, n10, 0.25));
    printf("per_run_repeat%u_vs_raw%u_ratio_q3=%.2f\n", repeat, repeat,
           quantile(paired10, n10, 0.75));
    /* CPU time (user + system) does not grow with a busy machine's waits: the same two
     * figures as CPU, for runs on a shared host. */
    double cpu_raw = median(craw, nblocks);
    double cpu_per = (two.cpu - one.cpu) / repeat; /* a marginal */
    printf("cpu_raw_handshake_ms=%.3f\n", cpu_raw);
    printf("cpu_rig_per_handshake_ms=%.3f\n", cpu_per);
    printf("cpu_rig_vs_raw_ratio=%.2f\n", cpu_per / cpu_raw);
    printf("cpu_repeat%u_vs_raw%u_ratio=%.2f\n", repeat, repeat, one.cpu / (cpu_raw * repeat));
    printf("loadavg_1min=%.2f\n", loadavg());
}

/* A decimal count, nothing after it. */
static bool parse_count(const char *text, unsigned *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long v = strtoul(text, &end, 10);
    if (errno || end == text || *end || text[0] == '-' || v > 1000000) {
        return false;
    }
    *out = (unsigned)v;
    return true;
}

int main(int argc, char **argv)
{
    const char *scenario = "happy-ecdhe-rsa-aes128-gcm-p256";
    unsigned samples = 12, repeat = 10;
    const char *out_root = is_tmpfs("/dev/shm") ? "/dev/shm" : "/tmp";
    bool usage = argc % 2 == 0; /* an option without its value */
    for (int i = 1; i + 1 < argc && !usage; i += 2) {
        if (strcmp(argv[i], "--scenario") == 0) {
            scenario = argv[i + 1];
        } else if (strcmp(argv[i], "--samples") == 0) {
            usage = !parse_count(argv[i + 1], &samples);
        } else if (strcmp(argv[i], "--repeat") == 0) {
            usage = !parse_count(argv[i + 1], &repeat);
        } else if (strcmp(argv[i], "--tlsrig") == 0) {
            g_tlsrig = argv[i + 1];
        } else if (strcmp(argv[i], "--out-root") == 0) {
            out_root = argv[i + 1];
        } else {
            usage = true;
        }
    }
    if (usage) {
        fprintf(stderr, "usage: rig_bench [--scenario NAME] [--samples K] [--repeat R] "
                        "[--tlsrig PATH] [--out-root DIR]\n");
        return 2;
    }
    if (samples == 0 || samples > MAX_SAMPLES || repeat < 2 || repeat > MAX_REPEAT) {
        fprintf(stderr, "rig_bench: --samples 1..%d, --repeat 2..%d\n", MAX_SAMPLES, MAX_REPEAT);
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
    /* raw, A, raw, B, raw, ... (A/B: --repeat R and 2R, swapped every other sample): every
     * rig run between two raw blocks, a slow spell of the machine on both sides of it. */
    size_t block = repeat + RAW_WARMUP, nblocks = 2 * (size_t)samples + 1;
    static raw_block_t blocks[MAX_BLOCKS];
    static rig_run_t runs[2 * MAX_SAMPLES];
    size_t nruns = 0;
    for (size_t b = 0; b < nblocks; b++) {
        if (run_raw_block(&rs, block, repeat, &blocks[b], err, sizeof err) != 0) {
            fprintf(stderr, "rig_bench: raw: %s\n", err);
            return 3;
        }
        if (b + 1 == nblocks) {
            break;
        }
        unsigned k = (unsigned)(b / 2);
        bool first = b % 2 == 0;
        rig_run_t *run = &runs[nruns++];
        run->repeat = (first == (k % 2 == 0)) ? repeat : 2 * repeat;
        if (run_rig(scenario, run) != 0) {
            return 3;
        }
    }
    report(scenario, samples, out_root, repeat, blocks, nblocks, runs, nruns);
    return 0;
}
