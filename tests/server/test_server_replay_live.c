/* Replay and the live server agree: every stored ClientHello
 * (every fixtures/clienthellos/NAME.hex) against every profile (fixtures/profiles),
 * once through the policy as `tlsrig replay` runs it and once as raw bytes
 * to the live server; the answers on the wire must match the prediction
 * (suite and group of the ServerHello, alert number, reset, close). */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <dirent.h>
#include <mbedtls/ecp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clienthello.h"
#include "policy.h"
#include "profile_load.h"
#include "server_test_util.h"
#include "wire_answer.h"

#define MAX_HELLOS 32

typedef struct hello_file {
    char name[128];
    uint8_t *data;
    size_t len;
} hello_file_t;

static size_t load_hellos(hello_file_t *out, size_t max)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/fixtures/clienthellos", getenv("TLSRIG_SOURCE_DIR"));
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "cannot open %s", dir);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < max) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".hex") != 0)
            continue;
        char path[1300], err[256];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        snprintf(out[n].name, sizeof out[n].name, "%s", e->d_name);
        cr_assert_eq(clienthello_read_file(path, &out[n].data, &out[n].len, err, sizeof err), 0,
                     "%s: %s", path, err);
        n++;
    }
    closedir(d);
    return n;
}

/* The replayed decision, limited to what the live server can do. */
static policy_decision_t predict(const server_profile_t *p, const hello_file_t *h, bool *limited)
{
    clienthello_t *ch = calloc(1, sizeof *ch);
    char err[256];
    cr_assert_eq(clienthello_parse(h->data, h->len, ch, err, sizeof err), 0, "%s: %s", h->name,
                 err);
    policy_decision_t d, replayed;
    policy_decide(p, ch, &replayed);
    d = replayed;
    policy_live_limits(p, ch, &d);
    *limited = d.reaction.kind != replayed.reaction.kind ||
               d.chosen_suite != replayed.chosen_suite || d.chosen_group != replayed.chosen_group;
    clienthello_free(ch);
    free(ch);
    return d;
}

static wire_kind_t expected_kind(reaction_kind_t k)
{
    switch (k) {
    case REACT_CONTINUE:
        return WIRE_SERVER_HELLO;
    case REACT_ALERT:
        return WIRE_ALERT;
    case REACT_RESET:
        return WIRE_RESET;
    case REACT_CLOSE:
        return WIRE_CLOSE;
    case REACT_SILENCE:
        return WIRE_SILENCE;
    }
    return WIRE_GARBAGE;
}

Test(server_replay_live, every_hello_against_every_profile)
{
    static hello_file_t hellos[MAX_HELLOS];
    size_t nh = load_hellos(hellos, MAX_HELLOS);
    cr_assert_geq(nh, 5, "too few stored ClientHellos");
    static char names[64][PROFILE_NAME_LEN];
    size_t np = 0;
    cr_assert_eq(profile_list(profile_default_dir(), names, 64, &np), 0);
    cr_assert_geq(np, 13);
    unsigned seen[WIRE_GARBAGE + 1] = {0}, pairs = 0, limited_pairs = 0;

    for (size_t pi = 0; pi < np; pi++) {
        server_profile_t p;
        char err[512];
        cr_assert_eq(profile_load(profile_default_dir(), names[pi], &p, err, sizeof err), 0, "%s",
                     err);
        tls_server_t *s = stu_start(&p, NULL);
        for (size_t hi = 0; hi < nh; hi++) {
            bool limited;
            policy_decision_t d = predict(&p, &hellos[hi], &limited);
            limited_pairs += limited;
            int fd = stu_connect(tls_server_port(s));
            cr_assert_geq(fd, 0);
            cr_assert_eq(send(fd, hellos[hi].data, hellos[hi].len, MSG_NOSIGNAL),
                         (ssize_t)hellos[hi].len);
            wire_answer_t a = wire_read_answer(fd);
            close(fd);
            json_t *v = stu_view(s);
            const char *what = names[pi];
            const char *hn = hellos[hi].name;
            wire_kind_t want = expected_kind(d.reaction.kind);
            seen[a.kind]++;
            pairs++;
            cr_expect_eq(a.kind, want, "%s / %s: live %s, replay %s (%s)", what, hn,
                         wire_kind_name(a.kind), wire_kind_name(want), d.reason);
            if (want == WIRE_SERVER_HELLO && a.kind == want) {
                cr_expect_eq(a.suite, d.chosen_suite, "%s / %s: live suite 0x%04x, replay 0x%04x",
                             what, hn, a.suite, d.chosen_suite);
                if (d.chosen_group)
                    cr_expect_eq(a.group, d.chosen_group,
                                 "%s / %s: live group 0x%04x, replay 0x%04x", what, hn, a.group,
                                 d.chosen_group);
            }
            if (want == WIRE_ALERT && a.kind == want)
                cr_expect_eq(a.alert, d.reaction.alert, "%s / %s: live alert %d, replay %d", what,
                             hn, a.alert, d.reaction.alert);
            /* The server's own record of the decision says the same. */
            json_t *dec = json_object_get(v, "decision");
            cr_expect_str_eq(json_string_value(json_object_get(dec, "rule")), d.rule, "%s / %s",
                             what, hn);
            json_decref(v);
        }
        tls_server_stop(s);
    }
    for (size_t hi = 0; hi < nh; hi++)
        free(hellos[hi].data);
    cr_expect_eq(pairs, np * nh);
    /* The matrix must exercise each kind of answer the profiles give. */
    cr_expect_gt(seen[WIRE_SERVER_HELLO], 0);
    cr_expect_gt(seen[WIRE_ALERT], 0);
    cr_expect_gt(seen[WIRE_RESET], 0);
    /* Some pairs hit the live limits (tls13-only, mbedTLS's 11-group cap),
     * most are plain replay. */
    cr_expect_gt(limited_pairs, 0);
    cr_expect_lt(limited_pairs, pairs / 2);
}

/* The groups policy_live_limits() assumes are the ones the linked mbedTLS
 * knows, and its cap is MBEDTLS_ECP_DP_MAX - 1. */
Test(server_replay_live, live_group_table_matches_mbedtls)
{
    const uint16_t *g;
    size_t n = policy_live_known_groups(&g);
    size_t known = 0;
    for (uint16_t id = 1; id < 0x0200; id++) {
        bool in_table = false;
        for (size_t i = 0; i < n; i++)
            in_table |= g[i] == id;
        bool lib = mbedtls_ecp_curve_info_from_tls_id(id) != NULL;
        cr_expect_eq(in_table, lib, "group %u: table %d, mbedTLS %d", id, in_table, lib);
        known += lib;
    }
    cr_expect_eq(known, n);
    cr_expect_eq(MBEDTLS_ECP_DP_MAX, 12, "cap in policy.c assumes MBEDTLS_ECP_DP_MAX 12");
}
