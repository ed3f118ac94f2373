#define _POSIX_C_SOURCE 200809L
#include "hardfault_decode.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define FAULT_TAG "tlsrig: fault: "
#define LINE_MAX_LEN 1024u

/* Value of " key=0x..." in line, or false. */
static bool hex_field(const char *line, const char *key, uint32_t *out)
{
    char pattern[24];
    snprintf(pattern, sizeof pattern, " %s=", key);
    const char *p = strstr(line, pattern);
    if (!p) {
        return false;
    }
    p += strlen(pattern);
    char *end = NULL;
    errno = 0;
    unsigned long v = strtoul(p, &end, 0);
    if (end == p || errno != 0 || v > 0xFFFFFFFFul) {
        return false;
    }
    *out = (uint32_t)v;
    return true;
}

bool hardfault_parse(const char *text, size_t len, hardfault_report_t *out)
{
    memset(out, 0, sizeof *out);
    const size_t tag_len = strlen(FAULT_TAG);
    const char *found = NULL;
    for (size_t i = 0; i + tag_len <= len; i++) {
        if (memcmp(text + i, FAULT_TAG, tag_len) == 0) {
            found = text + i;
        }
    }
    if (!found) {
        return false;
    }
    /* A bounded, NUL-terminated copy of the line without the tag. */
    char line[LINE_MAX_LEN + 2];
    size_t avail = len - (size_t)(found - text) - tag_len;
    size_t n = 0;
    line[n++] = ' ';
    for (const char *p = found + tag_len; n < LINE_MAX_LEN && avail > 0; p++, avail--) {
        if (*p == '\n' || *p == '\0') {
            break;
        }
        line[n++] = *p;
    }
    line[n] = '\0';

    /* "what" runs up to the first " key=" field. */
    const char *first_field = strstr(line, " pc=");
    if (!first_field) {
        first_field = strstr(line, " stack-peak=");
    }
    size_t what_len = first_field ? (size_t)(first_field - line) : n;
    what_len = what_len > 1 ? what_len - 1 : 0;
    if (what_len >= sizeof out->what) {
        what_len = sizeof out->what - 1;
    }
    memcpy(out->what, line + 1, what_len);
    out->what[what_len] = '\0';

    out->has_registers = hex_field(line, "pc", &out->pc) && hex_field(line, "lr", &out->lr) &&
                         hex_field(line, "sp", &out->sp);
    (void)hex_field(line, "psr", &out->psr);
    (void)hex_field(line, "cfsr", &out->cfsr);
    (void)hex_field(line, "hfsr", &out->hfsr);
    (void)hex_field(line, "bfar", &out->bfar);
    (void)hex_field(line, "mmfar", &out->mmfar);
    (void)hex_field(line, "r0", &out->r0);
    (void)hex_field(line, "r1", &out->r1);
    (void)hex_field(line, "r2", &out->r2);
    (void)hex_field(line, "r3", &out->r3);
    (void)hex_field(line, "r12", &out->r12);
    (void)hex_field(line, "stack-peak", &out->stack_peak);

    const char *bt = strstr(line, " backtrace=");
    if (bt) {
        const char *p = bt + strlen(" backtrace=");
        while (out->n_backtrace < HARDFAULT_MAX_FRAMES && *p) {
            char *end = NULL;
            errno = 0;
            unsigned long v = strtoul(p, &end, 16);
            if (end == p || errno != 0 || v > 0xFFFFFFFFul) {
                break;
            }
            out->backtrace[out->n_backtrace++] = (uint32_t)v;
            if (*end != ',') {
                break;
            }
            p = end + 1;
        }
    }
    return true;
}

static size_t append(char *out, size_t cap, size_t len, const char *fmt, ...)
{
    if (len + 1 >= cap) {
        return len;
    }
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out + len, cap - len, fmt, ap);
    va_end(ap);
    if (n < 0) {
        return len;
    }
    return (size_t)n < cap - len ? len + (size_t)n : cap - 1;
}

/* Bits of the Configurable Fault Status Register (ARMv7-M ARM B3.2.15). */
void hardfault_cause(const hardfault_report_t *r, char *out, size_t cap)
{
    size_t len = 0;
    out[0] = '\0';
    uint32_t cfsr = r->cfsr;
    if (cfsr & (1u << 9)) {
        len = append(out, cap, len, "precise data bus error%s", "");
        if (cfsr & (1u << 15)) {
            len = append(out, cap, len, " at 0x%08x", (unsigned)r->bfar);
        }
    }
    if (cfsr & (1u << 10)) {
        len = append(out, cap, len, "%simprecise data bus error", len ? ", " : "");
    }
    if (cfsr & (1u << 8)) {
        len = append(out, cap, len, "%sinstruction bus error", len ? ", " : "");
    }
    if (cfsr & (1u << 1)) {
        len = append(out, cap, len, "%sMPU data access violation", len ? ", " : "");
        if (cfsr & (1u << 7)) {
            len = append(out, cap, len, " at 0x%08x", (unsigned)r->mmfar);
        }
    }
    if (cfsr & (1u << 0)) {
        len = append(out, cap, len, "%sMPU instruction access violation", len ? ", " : "");
    }
    if (cfsr & (1u << 16)) {
        len = append(out, cap, len, "%sundefined instruction", len ? ", " : "");
    }
    if (cfsr & (1u << 17)) {
        len = append(out, cap, len, "%sinvalid state (ARM mode or bad branch target)",
                     len ? ", " : "");
    }
    if (cfsr & (1u << 18)) {
        len = append(out, cap, len, "%sinvalid EXC_RETURN", len ? ", " : "");
    }
    if (cfsr & (1u << 24)) {
        len = append(out, cap, len, "%sunaligned access", len ? ", " : "");
    }
    if (cfsr & (1u << 25)) {
        len = append(out, cap, len, "%sdivide by zero", len ? ", " : "");
    }
    if (cfsr & ((1u << 12) | (1u << 4))) {
        len = append(out, cap, len, "%sstacking error (stack overflow?)", len ? ", " : "");
    }
    if (r->hfsr & (1u << 1)) {
        len = append(out, cap, len, "%svector table read error", len ? ", " : "");
    }
    if (len == 0) {
        len = append(out, cap, len, "%s", r->has_registers ? "unknown cause" : r->what);
    }
    if (r->hfsr & (1u << 30)) {
        (void)append(out, cap, len, " (escalated to HardFault)");
    }
}

/* One addr2line run for all addresses; its stdout lines are "func at file:line". */
static size_t run_addr2line(const char *tool, const char *elf, const uint32_t *addrs, size_t n,
                            char lines[][256])
{
    int pipefd[2];
    if (n == 0 || access(elf, R_OK) != 0 || pipe(pipefd) != 0) {
        return 0;
    }
    pid_t pid = fork();
    if (pid < 0) {
        close(pipefd[0]);
        close(pipefd[1]);
        return 0;
    }
    if (pid == 0) {
        char args[HARDFAULT_MAX_FRAMES + 2][16];
        char *argv[HARDFAULT_MAX_FRAMES + 8];
        size_t a = 0;
        argv[a++] = (char *)tool;
        argv[a++] = (char *)"-f";
        argv[a++] = (char *)"-p";
        argv[a++] = (char *)"-e";
        argv[a++] = (char *)elf;
        for (size_t i = 0; i < n; i++) {
            snprintf(args[i], sizeof args[i], "0x%08x", (unsigned)addrs[i]);
            argv[a++] = args[i];
        }
        argv[a] = NULL;
        dup2(pipefd[1], 1);
        close(pipefd[0]);
        close(pipefd[1]);
        execvp(tool, argv);
        _exit(127);
    }
    close(pipefd[1]);
    FILE *f = fdopen(pipefd[0], "r");
    size_t got = 0;
    if (f) {
        while (got < n && fgets(lines[got], 256, f)) {
            lines[got][strcspn(lines[got], "\n")] = '\0';
            got++;
        }
        fclose(f);
    } else {
        close(pipefd[0]);
    }
    int status = 0;
    (void)waitpid(pid, &status, 0);
    return (WIFEXITED(status) && WEXITSTATUS(status) == 0) ? got : 0;
}

size_t hardfault_symbolize(const hardfault_report_t *r, const char *elf, const char *tool,
                           char *out, size_t cap)
{
    char cause[256];
    size_t len = 0;
    if (cap == 0) {
        return 0;
    }
    out[0] = '\0';
    hardfault_cause(r, cause, sizeof cause);
    len = append(out, cap, len, "%s: %s\n", r->what[0] ? r->what : "fault", cause);
    if (r->has_registers) {
        len = append(out, cap, len,
                     "  r0=0x%08x r1=0x%08x r2=0x%08x r3=0x%08x r12=0x%08x sp=0x%08x psr=0x%08x "
                     "cfsr=0x%08x hfsr=0x%08x stack peak %u bytes\n",
                     (unsigned)r->r0, (unsigned)r->r1, (unsigned)r->r2, (unsigned)r->r3,
                     (unsigned)r->r12, (unsigned)r->sp, (unsigned)r->psr, (unsigned)r->cfsr,
                     (unsigned)r->hfsr, (unsigned)r->stack_peak);
    }
    /* pc is the faulting instruction; lr and stack words are return addresses:
     * minus 1 lands in the calling instruction (and drops the Thumb bit). */
    uint32_t addrs[HARDFAULT_MAX_FRAMES + 2];
    const char *labels[HARDFAULT_MAX_FRAMES + 2];
    size_t n = 0;
    if (r->has_registers) {
        addrs[n] = r->pc;
        labels[n++] = "pc";
        addrs[n] = r->lr > 0 ? (r->lr - 1u) : 0u;
        labels[n++] = "lr";
    }
    static const char *k_frames[HARDFAULT_MAX_FRAMES] = {"#0",  "#1",  "#2",  "#3", "#4",  "#5",
                                                         "#6",  "#7",  "#8",  "#9", "#10", "#11",
                                                         "#12", "#13", "#14", "#15"};
    for (size_t i = 0; i < r->n_backtrace && i < HARDFAULT_MAX_FRAMES; i++) {
        addrs[n] = r->backtrace[i] > 0 ? r->backtrace[i] - 1u : 0u;
        labels[n++] = k_frames[i];
    }
    static char lines[HARDFAULT_MAX_FRAMES + 2][256];
    size_t got =
        elf ? run_addr2line(tool ? tool : "arm-none-eabi-addr2line", elf, addrs, n, lines) : 0;
    for (size_t i = 0; i < n; i++) {
        len = append(out, cap, len, "  %-3s 0x%08x  %s\n", labels[i], (unsigned)addrs[i],
                     i < got ? lines[i] : "?");
    }
    return len;
}
