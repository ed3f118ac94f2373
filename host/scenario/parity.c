#include "parity.h"

#include "diagnose.h"
#include "stacks.h"

#include <stdbool.h>
#include <string.h>

static const char *str(const json_t *o, const char *k, const char *d)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : d;
}

static json_t *failed_primitives(const json_t *selftest)
{
    json_t *names = json_array();
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(selftest, "primitives"), i, p)
    {
        if (strcmp(str(p, "status", ""), "fail") == 0) {
            json_array_append_new(names, json_string(str(p, "name", "?")));
        }
    }
    return names;
}

json_t *parity_selftest_result(const char *board, const char *backend, const char *config,
                               const json_t *selftest, const char *fault)
{
    json_t *r = json_object();
    json_t *failed = failed_primitives(selftest);
    json_object_set_new(r, "scenario", json_string("crypto-selftest"));
    json_object_set_new(r, "kind", json_string("selftest"));
    json_object_set_new(r, "board", json_string(board));
    json_object_set_new(r, "backend", json_string(backend));
    json_object_set_new(r, "config", json_string(config));
    json_object_set_new(r, "outcome", json_string(json_array_size(failed) ? "fail" : "pass"));
    json_object_set_new(r, "mbedtls_ret", json_null());
    json_object_set_new(r, "mbedtls_error", json_null());
    json_object_set_new(r, "alert_received", json_null());
    json_object_set_new(r, "alert_sent", json_null());
    json_object_set_new(r, "log", json_string(""));
    json_object_set_new(
        r, "duration_ms",
        json_real((double)json_integer_value(json_object_get(selftest, "duration_us")) / 1000.0));
    json_object_set(r, "selftest", json_object_get(selftest, "primitives"));
    if (fault) {
        json_object_set_new(r, "injected_fault", json_string(fault));
    }
    if (json_array_size(failed) > 0) {
        char text[512] = "";
        size_t i;
        json_t *n;
        json_array_foreach(failed, i, n)
        {
            size_t used = strlen(text);
            snprintf(text + used, sizeof text - used, "%s%s", used ? ", " : "",
                     json_string_value(n));
        }
        char expl[700];
        snprintf(expl, sizeof expl,
                 "Known-answer self-tests failed on the %s backend for: %s. The crypto results of "
                 "this image differ from the published vectors.",
                 backend, text);
        json_object_set_new(r, "verdict", json_string(diagnose_selftest_verdict(false)));
        json_object_set_new(r, "explanation", json_string(expl));
        json_object_set_new(r, "diverged", json_string(text));
        json_object_set_new(r, "fix",
                            json_string("Fix the ALT driver (or the peripheral) for the named "
                                        "primitive; until then build with the sw backend."));
    } else {
        json_object_set_new(r, "verdict", json_string(diagnose_selftest_verdict(true)));
        json_object_set_new(r, "explanation",
                            json_string(diagnose_verdict_meaning(diagnose_selftest_verdict(true))));
    }
    json_object_set_new(r, "failed_primitives", failed);
    return r;
}

/* sw and hw runs pair within one stack only: 2.28 and 3.6 differ by design. */
static bool same_stack(const json_t *a, const json_t *b)
{
    return strcmp(stack_or_default(str(a, "stack", NULL)),
                  stack_or_default(str(b, "stack", NULL))) == 0;
}

/* The self-test result of the same image kind (board, backend, config). */
static const json_t *selftest_of(const json_t *results, const json_t *r, const char *backend)
{
    size_t i;
    json_t *s;
    json_array_foreach(results, i, s)
    {
        if (strcmp(str(s, "kind", ""), "selftest") == 0 &&
            strcmp(str(s, "backend", ""), backend) == 0 && same_stack(s, r) &&
            strcmp(str(s, "config", ""), str(r, "config", "")) == 0 &&
            strcmp(str(s, "board", ""), str(r, "board", "")) == 0) {
            return s;
        }
    }
    return NULL;
}

static bool same_pair(const json_t *a, const json_t *b)
{
    return same_stack(a, b) && strcmp(str(a, "kind", "target"), "target") == 0 &&
           strcmp(str(a, "scenario", ""), str(b, "scenario", "")) == 0 &&
           strcmp(str(a, "board", ""), str(b, "board", "")) == 0 &&
           strcmp(str(a, "config", ""), str(b, "config", "")) == 0;
}

parity_status_t parity_attach(json_t *r, const json_t *results)
{
    if (strcmp(str(r, "backend", ""), "hw") != 0 || strcmp(str(r, "kind", "target"), "target")) {
        return PARITY_NOT_APPLICABLE;
    }
    const json_t *sw = NULL;
    size_t i;
    json_t *c;
    json_array_foreach(results, i, c)
    {
        if (strcmp(str(c, "backend", ""), "sw") == 0 && same_pair(c, r)) {
            sw = c; /* the first sw run; repeats compare with it */
            break;
        }
    }
    char why[256];
    parity_status_t st = sw ? parity_compare(sw, r, why, sizeof why) : PARITY_NOT_APPLICABLE;
    if (st == PARITY_NOT_APPLICABLE) {
        return st;
    }
    const json_t *selftest = selftest_of(results, r, "hw");
    const char *prim = selftest ? str(selftest, "diverged", NULL) : NULL;
    json_object_set_new(r, "parity",
                        json_pack("{sb ss ss}", "match", st == PARITY_MATCH, "reason",
                                  st == PARITY_MATCH ? "" : why, "primitive",
                                  prim ? prim : "unknown"));
    if (st == PARITY_MISMATCH) {
        const char *before = str(r, "expect_detail", "");
        char detail[1200];
        snprintf(detail, sizeof detail, "%s%shw and sw differ (%s); diverging primitive: %s",
                 before, before[0] ? "; " : "", why, prim ? prim : "none found by the self-tests");
        json_object_set_new(r, "expect_met", json_false());
        json_object_set_new(r, "expect_detail", json_string(detail));
    }
    return st;
}

void parity_print_primitives(FILE *out, const json_t *results)
{
    json_t *sums = json_object(); /* name -> {sw: {ops, ns}, hw: {ops, ns}} */
    size_t i;
    json_t *r;
    json_array_foreach(results, i, r)
    {
        const char *backend = str(r, "backend", "");
        const char *name;
        json_t *p;
        json_object_foreach(json_object_get(r, "primitives"), name, p)
        {
            json_t *row = json_object_get(sums, name);
            if (!row) {
                row = json_pack("{s:{s:I,s:I},s:{s:I,s:I}}", "sw", "ops", (json_int_t)0, "ns",
                                (json_int_t)0, "hw", "ops", (json_int_t)0, "ns", (json_int_t)0);
                json_object_set_new(sums, name, row);
            }
            json_t *acc = json_object_get(row, backend);
            if (!acc) {
                continue;
            }
            json_object_set_new(acc, "ops",
                                json_integer(json_integer_value(json_object_get(acc, "ops")) +
                                             json_integer_value(json_object_get(p, "ops"))));
            json_object_set_new(acc, "ns",
                                json_integer(json_integer_value(json_object_get(acc, "ns")) +
                                             json_integer_value(json_object_get(p, "ns"))));
        }
    }
    if (json_object_size(sums) == 0) {
        json_decref(sums);
        return;
    }
    fprintf(out, "\n%-12s %10s %12s %10s %12s %8s\n", "primitive", "sw ops", "sw ms", "hw ops",
            "hw ms", "hw/sw");
    const char *name;
    json_t *row;
    json_object_foreach(sums, name, row)
    {
        json_t *s = json_object_get(row, "sw"), *h = json_object_get(row, "hw");
        double sms = (double)json_integer_value(json_object_get(s, "ns")) / 1e6;
        double hms = (double)json_integer_value(json_object_get(h, "ns")) / 1e6;
        char ratio[16] = "-";
        if (sms > 0 && hms > 0) {
            snprintf(ratio, sizeof ratio, "%.2f", hms / sms);
        }
        fprintf(out, "%-12s %10lld %12.3f %10lld %12.3f %8s\n", name,
                (long long)json_integer_value(json_object_get(s, "ops")), sms,
                (long long)json_integer_value(json_object_get(h, "ops")), hms, ratio);
    }
    fprintf(out, "(time: ns on sim, where the hw backend runs register models in software; "
                 "cycles on boards)\n");
    json_decref(sums);
}

void parity_attach_bench(json_t *selftest_result, const json_t *bench)
{
    json_t *out = json_object();
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(bench, "primitives"), i, p)
    {
        json_t *row = json_deep_copy(p);
        const char *name = str(p, "name", "?");
        double ns = (double)json_integer_value(json_object_get(p, "ns"));
        double ops = (double)json_integer_value(json_object_get(p, "ops"));
        double bytes = (double)json_integer_value(json_object_get(p, "bytes"));
        json_object_del(row, "name");
        if (ns > 0 && bytes > 0) {
            json_object_set_new(row, "mb_per_s", json_real(bytes / ns * 1e3));
        } else if (ns > 0) {
            json_object_set_new(row, "ops_per_s", json_real(ops / ns * 1e9));
        }
        json_object_set_new(out, name, row);
    }
    json_object_set_new(selftest_result, "bench", out);
}

static double rate(const json_t *row)
{
    const json_t *v = json_object_get(row, "mb_per_s");
    return v ? json_number_value(v) : json_number_value(json_object_get(row, "ops_per_s"));
}

void parity_print_bench(FILE *out, const json_t *results)
{
    const json_t *sw = NULL, *hw = NULL;
    const char *status = NULL;
    size_t i;
    json_t *r;
    json_array_foreach(results, i, r)
    {
        if (strcmp(str(r, "kind", ""), "selftest") != 0 || strcmp(str(r, "config", ""), "full")) {
            continue;
        }
        if (!status) {
            status = str(r, "bench_status", NULL);
        }
        if (strcmp(str(r, "backend", ""), "sw") == 0 && !sw) {
            sw = json_object_get(r, "bench");
        } else if (strcmp(str(r, "backend", ""), "hw") == 0 && !hw) {
            hw = json_object_get(r, "bench");
        }
    }
    const json_t *any = sw ? sw : hw;
    if (json_object_size(any) == 0) {
        /* Never a silent gap: say why there is no table. */
        if (status) {
            fprintf(out, "\nbench: %s\n", status);
        }
        return;
    }
    fprintf(out, "\nbench (config full)   %14s %14s %8s\n", "sw", "hw", "hw/sw");
    const char *name;
    const json_t *row;
    json_object_foreach((json_t *)any, name, row)
    {
        const json_t *a = sw ? json_object_get(sw, name) : NULL;
        const json_t *b = hw ? json_object_get(hw, name) : NULL;
        const char *unit = json_object_get(row, "mb_per_s") ? "MB/s" : "op/s";
        char sa[32] = "-", sb[32] = "-", ratio[16] = "-";
        if (a) {
            snprintf(sa, sizeof sa, "%.2f %s", rate(a), unit);
        }
        if (b) {
            snprintf(sb, sizeof sb, "%.2f %s", rate(b), unit);
        }
        if (a && b && rate(a) > 0) {
            snprintf(ratio, sizeof ratio, "%.2f", rate(b) / rate(a));
        }
        fprintf(out, "%-21s %14s %14s %8s\n", name, sa, sb, ratio);
    }
    fprintf(out, "(hw/sw above 1: hardware faster; on sim the hw backend is a software model)\n");
}
