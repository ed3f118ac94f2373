/* Which stacks a comparison puts side by side: the stacks runs hold, --from/--to checked
 * against them, the runs read (stack_compare.h). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "report_model.h"
#include "results_log.h"
#include "stack_compare.h"
#include "stacks.h"

bool stack_result_of(const json_t *r, const char *stack)
{
    const char *kind = rm_str(r, "kind", "target");
    return (strcmp(kind, "target") == 0 || strcmp(kind, "selftest") == 0) &&
           strcmp(stack_or_default(rm_str(r, "stack", NULL)), stack) == 0;
}

unsigned stack_set_of(const json_t *results)
{
    unsigned set = 0;
    size_t i;
    const json_t *r;
    json_array_foreach(results, i, r)
    {
        for (unsigned k = 0; k < STACK_MAX; k++) {
            set |= stack_result_of(r, stack_names[k]) ? 1u << k : 0u;
        }
    }
    return set;
}

void stack_set_text(unsigned set, char *out, size_t n)
{
    out[0] = '\0';
    for (unsigned k = 0; k < STACK_MAX; k++) {
        if (set & (1u << k)) {
            size_t used = strlen(out);
            snprintf(out + used, n - used, "%s%s", used ? ", " : "", stack_names[k]);
        }
    }
    if (!out[0]) {
        snprintf(out, n, "none");
    }
}

/* The oldest and the newest stack of a set, by stack_names order. */
static const char *oldest(unsigned set)
{
    for (unsigned k = 0; k < STACK_MAX; k++) {
        if (set & (1u << k)) {
            return stack_names[k];
        }
    }
    return NULL;
}

static const char *newest_other(unsigned set, const char *other)
{
    for (unsigned k = STACK_MAX; k > 0; k--) {
        if ((set & (1u << (k - 1))) && (!other || strcmp(stack_names[k - 1], other) != 0)) {
            return stack_names[k - 1];
        }
    }
    return NULL;
}

json_t *stack_compare_run(const json_t *results)
{
    unsigned set = stack_set_of(results);
    const char *from = oldest(set), *to = newest_other(set, from);
    return from && to ? stack_compare(results, from, results, to) : NULL;
}

/* A --from/--to value: a known stack that the run ran. */
static const char *pick(const char *given, unsigned set, const char *dir, const char *option,
                        char *err, size_t errlen)
{
    const char *c = stack_canonical(given);
    char have[80];
    stack_set_text(set, have, sizeof have);
    if (!c) {
        snprintf(err, errlen, "%s '%s': unknown stack (known: %s, %s)", option, given,
                 stack_names[0], stack_names[1]);
        return NULL;
    }
    for (unsigned k = 0; k < STACK_MAX; k++) {
        if ((set & (1u << k)) && stack_names[k] == c) {
            return c;
        }
    }
    snprintf(err, errlen, "%s %s: %s has no result of that stack (it ran: %s)", option, c, dir,
             have);
    return NULL;
}

json_t *stack_compare_dirs(const char *base_dir, const char *new_dir, const char *from,
                           const char *to, char *err, size_t errlen)
{
    size_t skipped;
    json_t *base = results_log_read(base_dir, &skipped, err, errlen), *cur = NULL, *out = NULL;
    if (!base) {
        return NULL;
    }
    cur = new_dir ? results_log_read(new_dir, &skipped, err, errlen) : json_incref(base);
    if (!cur) {
        goto cleanup;
    }
    const char *nd = new_dir ? new_dir : base_dir;
    unsigned bset = stack_set_of(base), nset = stack_set_of(cur);
    const char *b = from ? pick(from, bset, base_dir, "--from", err, errlen) : oldest(bset);
    if (!b) {
        if (!from) {
            snprintf(err, errlen, "%s: no scenario results to compare", base_dir);
        }
        goto cleanup;
    }
    const char *n = to ? pick(to, nset, nd, "--to", err, errlen) : newest_other(nset, b);
    if (!n) {
        if (!to) {
            char have[80];
            stack_set_text(nset, have, sizeof have);
            snprintf(err, errlen,
                     "%s ran %s only: --upgrade compares two different stacks (tlsrig run "
                     "--stack all, or a run on each stack); runs of one stack compare without "
                     "--upgrade",
                     nd, have);
        }
        goto cleanup;
    }
    if (b == n) {
        snprintf(err, errlen,
                 "--from and --to are both %s: --upgrade compares two different stacks; runs of "
                 "one stack compare without --upgrade",
                 b);
        goto cleanup;
    }
    out = stack_compare(base, b, cur, n);
cleanup:
    json_decref(base);
    json_decref(cur);
    return out;
}
