#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE /* timegm */
#include "scenario_plan.h"

#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "client_request.h"
#include "mbedtls_error_names.h"
#include "profile_load.h"
#include "safe_name.h"
#include "stacks.h"

typedef struct ctx {
    const scenario_t *s;
    const config_yaml_t *cy;
    char *err;
    size_t errlen;
} ctx_t;

/* "file:line: key 'path': problem"; the line of value inside path when given. */
static int bad(const ctx_t *c, const char *path, const char *value, const char *fmt, ...)
{
    char why[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    unsigned line = config_yaml_value_line(c->cy, path, value);
    if (line == 0) {
        line = config_yaml_line(c->cy, path);
    }
    snprintf(c->err, c->errlen, "%s:%u: key '%s': %s", c->s->path, line, path, why);
    return -1;
}

static int index_of(const char *v, const char *const *names, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        if (strcmp(v, names[i]) == 0) {
            return (int)i;
        }
    }
    return -1;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int hash_id(const char *name)
{
    static const char *const names[] = {"md5", "sha1", "sha224", "sha256", "sha384", "sha512"};
    for (size_t i = 0; i < COUNT(names); i++) {
        if (strcasecmp(name, names[i]) == 0) {
            return (int)i + 1; /* TLS HashAlgorithm: md5(1) .. sha512(6) */
        }
    }
    return -1;
}

/* "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS[Z]", every field in range. */
static bool parse_date(const char *v, long long *out)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    int used = 0;
    if (sscanf(v, "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &used) != 3 ||
        used != 10) {
        return false;
    }
    const char *rest = v + used;
    if (*rest == 'T') {
        int more = 0;
        if (sscanf(rest, "T%2d:%2d:%2d%n", &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &more) != 3 ||
            more != 9) {
            return false;
        }
        rest += more;
        rest += *rest == 'Z';
    }
    if (*rest || tm.tm_year < 1970 || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 ||
        tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60) {
        return false;
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    *out = (long long)timegm(&tm);
    return true;
}

static int build_client(const ctx_t *c, client_plan_t *p)
{
    const scenario_client_t *cl = &c->s->client;
    static const char *const versions[] = {"tls1.0", "tls1.1", "tls1.2", "tls1.3"};
    static const char *const verifies[] = {"none", "optional", "required"};
    static const char *const cert_profiles[] = {"default", "allow-sha1", "next", "suiteb"};
    static const char *const faults[] = {"crash", "hang", "garbage"};
    if (cl->suites_count > COUNT(p->suites)) {
        return bad(c, "client.suites", NULL, "%u suites, at most 64", cl->suites_count);
    }
    for (unsigned i = 0; i < cl->suites_count; i++) {
        int id = suite_id_from_name(cl->suites[i]);
        if (id < 0) {
            return bad(c, "client.suites", cl->suites[i], "unknown cipher suite '%s'",
                       cl->suites[i]);
        }
        p->suites[p->n_suites++] = (uint16_t)id;
    }
    if (cl->groups_count > COUNT(p->groups)) {
        return bad(c, "client.groups", NULL, "%u groups, at most 16", cl->groups_count);
    }
    for (unsigned i = 0; i < cl->groups_count; i++) {
        int id = group_id_from_name(cl->groups[i]);
        if (id < 0) {
            return bad(c, "client.groups", cl->groups[i], "unknown group '%s'", cl->groups[i]);
        }
        p->groups[p->n_groups++] = (uint16_t)id;
    }
    if (cl->sig_hashes_count > COUNT(p->sig_hashes)) {
        return bad(c, "client.sig_hashes", NULL, "%u hashes, at most 8", cl->sig_hashes_count);
    }
    for (unsigned i = 0; i < cl->sig_hashes_count; i++) {
        int id = hash_id(cl->sig_hashes[i]);
        if (id < 0) {
            return bad(c, "client.sig_hashes", cl->sig_hashes[i],
                       "unknown hash '%s' (md5, sha1, sha224, sha256, sha384, sha512)",
                       cl->sig_hashes[i]);
        }
        p->sig_hashes[p->n_sig_hashes++] = (uint8_t)id;
    }
    int v;
    if (cl->min_version) {
        if ((v = index_of(cl->min_version, versions, COUNT(versions))) < 0) {
            return bad(c, "client.min_version", NULL, "'%s' is not tls1.0..tls1.3",
                       cl->min_version);
        }
        p->min_version = (uint16_t)(0x0301 + v);
    }
    if (cl->max_version) {
        if ((v = index_of(cl->max_version, versions, COUNT(versions))) < 0) {
            return bad(c, "client.max_version", NULL, "'%s' is not tls1.0..tls1.3",
                       cl->max_version);
        }
        p->max_version = (uint16_t)(0x0301 + v);
    }
    if (p->min_version && p->max_version && p->min_version > p->max_version) {
        return bad(c, "client.min_version", NULL, "%s is above max_version %s", cl->min_version,
                   cl->max_version);
    }
    if (!cl->time || strcmp(cl->time, "now") == 0) {
        p->time_kind = CLIENT_TIME_NOW;
    } else if (strcmp(cl->time, "none") == 0) {
        p->time_kind = CLIENT_TIME_NONE;
    } else if (parse_date(cl->time, &p->time_fixed)) {
        p->time_kind = CLIENT_TIME_FIXED;
    } else {
        return bad(c, "client.time", NULL, "'%s' is not now, none or YYYY-MM-DD[THH:MM:SSZ]",
                   cl->time);
    }
    p->verify = -1;
    if (cl->verify && (p->verify = index_of(cl->verify, verifies, COUNT(verifies))) < 0) {
        return bad(c, "client.verify", NULL, "'%s' is not required, optional or none", cl->verify);
    }
    p->cert_profile = -1;
    if (cl->cert_profile &&
        (p->cert_profile = index_of(cl->cert_profile, cert_profiles, COUNT(cert_profiles))) < 0) {
        return bad(c, "client.cert_profile", NULL,
                   "'%s' is not default, allow-sha1, next or suiteb", cl->cert_profile);
    }
    if (cl->mfl > 4) {
        return bad(c, "client.mfl", NULL, "%u is not 0..4", cl->mfl);
    }
    if (cl->debug_level > 4) {
        return bad(c, "client.debug_level", NULL, "%u is not 0..4", cl->debug_level);
    }
    /* The agent keeps the name in 128 bytes (target/core/hs_settings.h). */
    if (cl->sni && strlen(cl->sni) > 127) {
        return bad(c, "client.sni", NULL, "longer than 127 characters");
    }
    if (cl->sim_fault && index_of(cl->sim_fault, faults, COUNT(faults)) < 0) {
        return bad(c, "client.sim_fault", NULL, "'%s' is not crash, hang or garbage",
                   cl->sim_fault);
    }
    /* mbedtls_ssl_conf_tls13_key_exchange_modes() bits (issue 17 psk13). */
    static const char *const kex_modes[] = {"psk_ke", "ephemeral", "psk_dhe_ke"};
    if (cl->resume_kex_modes_count > 0 && !cl->resume) {
        return bad(c, "client.resume_kex_modes", NULL, "needs client.resume: true");
    }
    for (unsigned i = 0; i < cl->resume_kex_modes_count; i++) {
        if ((v = index_of(cl->resume_kex_modes[i], kex_modes, COUNT(kex_modes))) < 0) {
            return bad(c, "client.resume_kex_modes", cl->resume_kex_modes[i],
                       "'%s' is not psk_ke, psk_dhe_ke or ephemeral", cl->resume_kex_modes[i]);
        }
        p->resume_modes |= (uint8_t)(1u << v);
    }
    for (unsigned i = 0; i < cl->trust_count; i++) {
        if (!safe_name_valid(cl->trust[i])) {
            return bad(c, "client.trust", cl->trust[i], "'%s' %s", cl->trust[i],
                       safe_name_problem(cl->trust[i]));
        }
    }
    return 0;
}

static int build_requires(const ctx_t *c, scenario_plan_t *p)
{
    const scenario_t *s = c->s;
    if (s->requires_count == 0) {
        return 0;
    }
    p->requires = calloc(s->requires_count, sizeof *p->requires);
    if (!p->requires) {
        return bad(c, "requires", NULL, "out of memory");
    }
    for (unsigned i = 0; i < s->requires_count; i++) {
        const char *r = s->requires[i];
        requirement_t *q = &p->requires[i];
        int id = 0;
        if (strncmp(r, "suite:", 6) == 0) {
            q->kind = REQUIRE_SUITE;
            id = suite_id_from_name(r + 6);
        } else if (strncmp(r, "group:", 6) == 0) {
            q->kind = REQUIRE_GROUP;
            id = group_id_from_name(r + 6);
        } else {
            q->kind = REQUIRE_FEATURE;
            q->feature = strncmp(r, "feature:", 8) == 0 ? r + 8 : r;
            if (!q->feature[0] || strchr(q->feature, ',') || strchr(q->feature, ':')) {
                return bad(c, "requires", r, "'%s' is not suite:NAME, group:NAME or a feature", r);
            }
        }
        if (id < 0) {
            return bad(c, "requires", r, "'%s': unknown %s", r,
                       q->kind == REQUIRE_SUITE ? "cipher suite" : "group");
        }
        q->id = (uint16_t)id;
    }
    return 0;
}

/* Keys a kind of scenario does not use are refused, never silently ignored. */
static int check_kind(const ctx_t *c, scenario_plan_t *p)
{
    const scenario_t *s = c->s;
    if (s->kind == SCENARIO_TARGET) {
        if (s->clienthello) {
            return bad(c, "clienthello", NULL, "only a replay scenario (kind: replay) uses it");
        }
        if (s->expect.answer) {
            return bad(c, "expect.answer", NULL, "only a replay scenario (kind: replay) uses it");
        }
        /* issue 17 psk13: only a second connection can resume. */
        char key[64] = "";
        if (s->expect.resumed) {
            snprintf(key, sizeof key, "expect.resumed");
        }
        for (unsigned i = 0; i < s->expect_stacks_count && !key[0]; i++) {
            if (s->expect_stacks[i].expect.resumed) {
                snprintf(key, sizeof key, "expect_stacks.%u.expect.resumed", i);
            }
        }
        if (key[0] && !s->client.resume) {
            return bad(c, key, NULL, "needs client.resume: true (a second connection)");
        }
        return 0;
    }
    static const char *const unused[] = {"client",
                                         "config",
                                         "requires",
                                         "timeout_ms",
                                         "expect.error",
                                         "expect.alert_received",
                                         "expect.clock_source",
                                         "expect.min_goodput_bps",
                                         "expect.selftest",
                                         "expect.resumed"};
    for (size_t i = 0; i < COUNT(unused); i++) {
        if (config_yaml_has(c->cy, unused[i])) {
            return bad(c, unused[i], NULL, "a replay scenario does not use it");
        }
    }
    if (!s->clienthello) {
        return bad(c, "kind", NULL, "a replay scenario needs a 'clienthello' file");
    }
    size_t n = strlen(s->path) + strlen(s->clienthello) + 2u;
    p->clienthello_path = malloc(n);
    char *dir = strdup(s->path);
    if (!p->clienthello_path || !dir) {
        free(dir);
        return bad(c, "clienthello", NULL, "out of memory");
    }
    if (s->clienthello[0] == '/') {
        snprintf(p->clienthello_path, n, "%s", s->clienthello);
    } else {
        snprintf(p->clienthello_path, n, "%s/%s", dirname(dir), s->clienthello);
    }
    free(dir);
    if (access(p->clienthello_path, R_OK) != 0) {
        return bad(c, "clienthello", NULL, "cannot read %s", p->clienthello_path);
    }
    return 0;
}

static int build_overrides(const ctx_t *c, scenario_plan_t *p)
{
    char *text = NULL;
    size_t len = 0;
    unsigned first = 0;
    if (config_yaml_slice(c->cy, "server.overrides", &text, &len, &first, c->err, c->errlen) != 0) {
        return -1;
    }
    if (!text) {
        return 0;
    }
    config_yaml_t ov;
    int rc = config_yaml_text(&ov, c->s->path, first, text, len, c->err, c->errlen);
    free(text);
    if (rc == 0) {
        p->overrides = profile_patch_parse(&ov, "server.overrides.", c->err, c->errlen);
        rc = p->overrides ? 0 : -1;
    }
    config_yaml_free(&ov);
    return rc;
}

/* One expectation block, at key prefix `at` ("expect" or "expect_stacks.N.expect"). */
static int check_expect(const ctx_t *c, const char *at, const char *stack, scenario_expect_t *e)
{
    static const char *const outcomes[] = {"pass", "fail"};
    static const char *const answers[] = {"server_hello", "alert", "reset", "close", "silence"};
    char key[128];
#define KEY(k) (snprintf(key, sizeof key, "%s.%s", at, k), key)
    if (index_of(e->outcome, outcomes, COUNT(outcomes)) < 0) {
        return bad(c, KEY("outcome"), NULL, "'%s' is not pass or fail", e->outcome);
    }
    if (e->answer && index_of(e->answer, answers, COUNT(answers)) < 0) {
        return bad(c, KEY("answer"), NULL,
                   "'%s' is not server_hello, alert, reset, close or silence", e->answer);
    }
    static const char *const versions[] = {"TLSv1.2", "TLSv1.3"};
    static const char *const retries[] = {"sent", "none"};
    if (e->version && index_of(e->version, versions, COUNT(versions)) < 0) {
        return bad(c, KEY("version"), NULL, "'%s' is not TLSv1.2 or TLSv1.3", e->version);
    }
    if (e->hello_retry && index_of(e->hello_retry, retries, COUNT(retries)) < 0) {
        return bad(c, KEY("hello_retry"), NULL, "'%s' is not sent or none", e->hello_retry);
    }
    if (e->selftest && strcmp(e->selftest, "pass") != 0) {
        return bad(c, KEY("selftest"), NULL, "'%s' is not pass", e->selftest);
    }
    if (e->clock_source && !safe_name_valid(e->clock_source)) {
        return bad(c, KEY("clock_source"), NULL, "'%s' %s", e->clock_source,
                   safe_name_problem(e->clock_source));
    }
    /* issue 18 wolfagent: wolfSSL's codes for a wolfssl expectation ("-313"). */
    int wolf = e->error ? stack_error_parse(stack, e->error, &e->error_code) : -1;
    if (wolf == 0) {
        return bad(c, KEY("error"), NULL,
                   "'%s' is not a wolfSSL error code (a negative decimal, e.g. -313 FATAL_ERROR)",
                   e->error);
    }
    /* -0xNNNN for codes only a newer stack has (the host's table is 2.28's). */
    if (wolf < 0 && e->error && !mbedtls_error_parse(e->error, &e->error_code)) {
        return bad(c, KEY("error"), NULL, "'%s' is not an mbedTLS error name or -0xNNNN code",
                   e->error);
    }
    if ((e->alert_received > 255) || (e->alert_sent > 255) || (e->alert_received < -1) ||
        (e->alert_sent < -1)) {
        return bad(c,
                   e->alert_sent > 255 || e->alert_sent < -1 ? KEY("alert_sent")
                                                             : KEY("alert_received"),
                   NULL, "an alert description is 0..255");
    }
#undef KEY
    return 0;
}

/* expect_stacks: known stacks, each once, not the default stack (that is `expect`), a reason. */
static int check_stack_expects(const ctx_t *c, scenario_t *s)
{
    for (unsigned i = 0; i < s->expect_stacks_count; i++) {
        scenario_stack_expect_t *x = &s->expect_stacks[i];
        char at[64];
        snprintf(at, sizeof at, "expect_stacks.%u.stack", i);
        if (!stack_canonical(x->stack)) {
            return bad(c, at, NULL, "'%s' is not a stack (known: %s, %s, %s)", x->stack,
                       stack_names[0], stack_names[1], stack_names[2]);
        }
        if (strcmp(x->stack, STACK_DEFAULT) == 0) {
            return bad(c, at, NULL, "%s is the default stack: its expectation is `expect`",
                       x->stack);
        }
        for (unsigned j = 0; j < i; j++) {
            if (strcmp(s->expect_stacks[j].stack, x->stack) == 0) {
                return bad(c, at, NULL, "stack '%s' listed twice", x->stack);
            }
        }
        snprintf(at, sizeof at, "expect_stacks.%u.why", i);
        if (!x->why[0]) {
            return bad(c, at, NULL, "say why this stack behaves differently");
        }
        snprintf(at, sizeof at, "expect_stacks.%u.expect", i);
        if (check_expect(c, at, x->stack, &x->expect) != 0) {
            return -1;
        }
    }
    return 0;
}

/* `stacks:`: known names, each once. */
static int check_stacks_key(const ctx_t *c, const scenario_t *s)
{
    for (unsigned i = 0; i < s->stacks_count; i++) {
        if (!stack_canonical(s->stacks[i])) {
            return bad(c, "stacks", NULL, "'%s' is not a stack (known: %s, %s, %s)", s->stacks[i],
                       stack_names[0], stack_names[1], stack_names[2]);
        }
        for (unsigned j = 0; j < i; j++) {
            if (strcmp(s->stacks[i], s->stacks[j]) == 0) {
                return bad(c, "stacks", NULL, "stack '%s' listed twice", s->stacks[i]);
            }
        }
    }
    return 0;
}

bool scenario_runs_on(const scenario_t *s, const char *stack)
{
    for (unsigned i = 0; i < s->stacks_count; i++) {
        if (stack && strcmp(s->stacks[i], stack) == 0) {
            return true;
        }
    }
    return s->stacks_count == 0;
}

const char *scenario_expect_stack(const scenario_t *s)
{
    if (s->stacks_count == 0 || scenario_runs_on(s, STACK_DEFAULT)) {
        return STACK_DEFAULT;
    }
    return stack_canonical(s->stacks[0]);
}

const scenario_expect_t *scenario_expect_for(const scenario_t *s, const char *stack,
                                             const char **why)
{
    *why = NULL;
    for (unsigned i = 0; stack && i < s->expect_stacks_count; i++) {
        if (strcmp(s->expect_stacks[i].stack, stack) == 0) {
            *why = s->expect_stacks[i].why;
            return &s->expect_stacks[i].expect;
        }
    }
    return &s->expect;
}

int scenario_plan_build(scenario_t *s, const config_yaml_t *cy, char *err, size_t errlen)
{
    ctx_t c = {s, cy, err, errlen};
    scenario_plan_t *p = &s->plan;
    p->lines.name = config_yaml_line(cy, "name");
    p->lines.profile = config_yaml_line(cy, "server.profile");
    p->lines.overrides = config_yaml_line(cy, "server.overrides");
    p->lines.trust = config_yaml_line(cy, "client.trust");
    p->lines.clienthello = config_yaml_line(cy, "clienthello");
    if (!safe_name_valid(s->name)) {
        return bad(&c, "name", NULL, "'%s' %s (it names the scenario's log files)", s->name,
                   safe_name_problem(s->name));
    }
    if (!safe_name_valid(s->server.profile)) {
        return bad(&c, "server.profile", NULL, "'%s' %s", s->server.profile,
                   safe_name_problem(s->server.profile));
    }
    if (s->config && !safe_name_valid(s->config)) {
        return bad(&c, "config", NULL, "'%s' %s (it names a firmware image)", s->config,
                   safe_name_problem(s->config));
    }
    if (check_stacks_key(&c, s) != 0 ||
        check_expect(&c, "expect", scenario_expect_stack(s), &s->expect) != 0 ||
        check_stack_expects(&c, s) != 0) {
        return -1;
    }
    for (unsigned i = 0; i < s->tags_count; i++) {
        if (!s->tags[i][0]) {
            return bad(&c, "tags", NULL, "an empty tag");
        }
    }
    if (check_kind(&c, p) != 0 || build_client(&c, &p->client) != 0 || build_requires(&c, p) != 0 ||
        build_overrides(&c, p) != 0) {
        return -1;
    }
    return 0;
}

void scenario_plan_free(scenario_plan_t *plan)
{
    free(plan->requires);
    profile_patch_free(plan->overrides);
    free(plan->clienthello_path);
    free(plan->profile);
    free(plan->trust_pem);
    memset(plan, 0, sizeof *plan);
}
