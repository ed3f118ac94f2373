/* Replay and the live server agree: every stored ClientHello
 * (every fixtures/clienthellos/NAME.hex) against every profile (fixtures/profiles),
 * once through the policy as `tlsrig replay` runs it and once as raw bytes
 * to the live server; the answers on the wire must match the prediction
 * (suite and group of the ServerHello, alert number, reset, close). */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <dirent.h>
#include <mbedtls/ecp.h>
#include <mbedtls/ssl.h>
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
static policy_decision_t predict(const server_profile_t *p, const hello_file_t *h, bool *limited,
                                 const tls_server_t *s)
{
    clienthello_t *ch = calloc(1, sizeof *ch);
    char err[256];
    cr_assert_eq(clienthello_parse(h->data, h->len, ch, err, sizeof err), 0, "%s: %s", h->name,
                 err);
    policy_decision_t d, replayed;
    policy_decide(p, ch, &replayed);
    d = replayed;
    policy_live_caps_t caps = {.tls13 = tls_server_speaks_tls13(s)};
    policy_live_limits_caps(p, ch, &d, &caps);
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

/* The same hello framed differently: its handshake message cut into records
 * of at most `chunk` bytes (0 = as stored), record version as stored. */
static uint8_t *reframe(const hello_file_t *h, size_t chunk, size_t *out_len)
{
    clienthello_t *ch = calloc(1, sizeof *ch);
    char err[256];
    cr_assert_eq(clienthello_parse(h->data, h->len, ch, err, sizeof err), 0, "%s", err);
    size_t n_rec = (ch->raw_len + chunk - 1) / chunk;
    uint8_t *out = malloc(ch->raw_len + 5 * n_rec);
    size_t o = 0;
    uint16_t ver = ch->in_records ? ch->record_version : 0x0301;
    for (size_t off = 0; off < ch->raw_len; off += chunk) {
        size_t n = ch->raw_len - off < chunk ? ch->raw_len - off : chunk;
        const uint8_t hdr[5] = {22, (uint8_t)(ver >> 8), (uint8_t)ver, (uint8_t)(n >> 8),
                                (uint8_t)n};
        memcpy(out + o, hdr, 5);
        memcpy(out + o + 5, ch->raw + off, n);
        o += 5 + n;
    }
    clienthello_free(ch);
    free(ch);
    *out_len = o;
    return out;
}

/* One hello to one running profile: the live answer must be the replayed
 * one (limited to what the live server can do). */
static void check_pair(tls_server_t *s, const server_profile_t *p, const char *what,
                       const hello_file_t *h, unsigned *seen, unsigned *limited_pairs)
{
    bool limited;
    policy_decision_t d = predict(p, h, &limited, s);
    *limited_pairs += limited;
    int fd = stu_connect(tls_server_port(s));
    cr_assert_geq(fd, 0);
    cr_assert_eq(send(fd, h->data, h->len, MSG_NOSIGNAL), (ssize_t)h->len);
    wire_answer_t a = wire_read_answer(fd);
    close(fd);
    json_t *v = stu_view(s);
    const char *hn = h->name;
    wire_kind_t want = expected_kind(d.reaction.kind);
    seen[a.kind]++;
    cr_expect_eq(a.kind, want, "%s / %s: live %s, replay %s (%s)", what, hn, wire_kind_name(a.kind),
                 wire_kind_name(want), d.reason);
    if (want == WIRE_SERVER_HELLO && a.kind == want) {
        cr_expect_eq(a.suite, d.chosen_suite, "%s / %s: live suite 0x%04x, replay 0x%04x", what, hn,
                     a.suite, d.chosen_suite);
        if (d.chosen_group)
            cr_expect_eq(a.group, d.chosen_group, "%s / %s: live group 0x%04x, replay 0x%04x", what,
                         hn, a.group, d.chosen_group);
    }
    if (want == WIRE_ALERT && a.kind == want)
        cr_expect_eq(a.alert, d.reaction.alert, "%s / %s: live alert %d, replay %d", what, hn,
                     a.alert, d.reaction.alert);
    /* The server's own record of the decision says the same. */
    json_t *dec = json_object_get(v, "decision");
    cr_expect_str_eq(json_string_value(json_object_get(dec, "rule")), d.rule, "%s / %s", what, hn);
    json_decref(v);
}

/* Framings of every stored hello: as stored, in two records, and in records
 * of 64 bytes (cuts inside the fixed fields and inside extensions). */
static const size_t splits[] = {0, 2, 64};

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
            for (size_t k = 0; k < sizeof splits / sizeof splits[0]; k++) {
                hello_file_t h = hellos[hi];
                if (splits[k]) {
                    /* 2 = in two halves; else records of that many bytes. */
                    size_t chunk = splits[k];
                    if (chunk == 2) {
                        clienthello_t *ch = calloc(1, sizeof *ch);
                        char e[256];
                        cr_assert_eq(clienthello_parse(h.data, h.len, ch, e, sizeof e), 0);
                        chunk = (ch->raw_len + 1) / 2;
                        clienthello_free(ch);
                        free(ch);
                    }
                    h.data = reframe(&hellos[hi], chunk, &h.len);
                    snprintf(h.name, sizeof h.name, "%.80s in records of %zu", hellos[hi].name,
                             chunk);
                }
                check_pair(s, &p, names[pi], &h, seen, &limited_pairs);
                pairs++;
                if (splits[k])
                    free(h.data);
            }
        }
        tls_server_stop(s);
    }
    for (size_t hi = 0; hi < nh; hi++)
        free(hellos[hi].data);
    cr_expect_eq(pairs, np * nh * (sizeof splits / sizeof splits[0]));
    /* The matrix must exercise each kind of answer the profiles give. */
    cr_expect_gt(seen[WIRE_SERVER_HELLO], 0);
    cr_expect_gt(seen[WIRE_ALERT], 0);
    cr_expect_gt(seen[WIRE_RESET], 0);
    /* Some pairs hit the live limits (tls13-only, mbedTLS's 11-group cap),
     * most are plain replay. */
    cr_expect_gt(limited_pairs, 0);
    cr_expect_lt(limited_pairs, pairs / 2);
}

/* A hello padded past one record (2^14 bytes): the inspector accepts it
 * (limit 32768), mbedTLS 2.28 cannot read it, so the live server refuses it
 * as policy_live_limits() predicts; the same hello unpadded is served. */
Test(server_replay_live, hello_longer_than_one_record)
{
    static hello_file_t hellos[MAX_HELLOS];
    size_t nh = load_hellos(hellos, MAX_HELLOS);
    hello_file_t *base = NULL;
    for (size_t i = 0; i < nh; i++)
        if (strcmp(hellos[i].name, "openssl-tls12.hex") == 0)
            base = &hellos[i];
    cr_assert_not_null(base);
    clienthello_t *ch = calloc(1, sizeof *ch);
    char err[256];
    cr_assert_eq(clienthello_parse(base->data, base->len, ch, err, sizeof err), 0, "%s", err);
    cr_assert(ch->has_ext_block && !clienthello_has_ext(ch, 21));
    /* Offset of the extensions length: header, version, random, session id,
     * suites, compressions. */
    size_t ext_at =
        4 + 2 + 32 + 1 + ch->session_id_len + 2 + 2 * ch->n_suites + 1 + ch->n_compressions;
    size_t pad = 20000;
    size_t msg_len = ch->raw_len + 4 + pad;
    uint8_t *msg = calloc(1, msg_len);
    memcpy(msg, ch->raw, ch->raw_len);
    size_t body = msg_len - 4, exts = (size_t)(msg[ext_at] << 8 | msg[ext_at + 1]) + 4 + pad;
    msg[1] = (uint8_t)(body >> 16), msg[2] = (uint8_t)(body >> 8), msg[3] = (uint8_t)body;
    msg[ext_at] = (uint8_t)(exts >> 8), msg[ext_at + 1] = (uint8_t)exts;
    uint8_t *e = msg + ch->raw_len;
    e[0] = 0, e[1] = 21, e[2] = (uint8_t)(pad >> 8), e[3] = (uint8_t)pad;
    hello_file_t big = {.data = msg, .len = msg_len};
    snprintf(big.name, sizeof big.name, "openssl-tls12 + %zu bytes of padding", pad);
    size_t rec_len;
    big.data = reframe(&big, 16384, &rec_len);
    big.len = rec_len;
    free(msg);

    server_profile_t p;
    cr_assert_eq(profile_load(profile_default_dir(), "default", &p, err, sizeof err), 0, "%s", err);
    bool limited;
    policy_decision_t d = predict(&p, &big, &limited, NULL);
    cr_expect(limited);
    cr_expect_str_eq(d.rule, "live_hello_size");
    tls_server_t *s = stu_start(&p, NULL);
    unsigned seen[WIRE_GARBAGE + 1] = {0}, lim = 0;
    check_pair(s, &p, "default", &big, seen, &lim);
    check_pair(s, &p, "default", base, seen, &lim);
    cr_expect_eq(seen[WIRE_ALERT], 1);
    cr_expect_eq(seen[WIRE_SERVER_HELLO], 1);
    tls_server_stop(s);
    free(big.data);
    clienthello_free(ch);
    free(ch);
    for (size_t i = 0; i < nh; i++)
        free(hellos[i].data);
}

/* The host's mbedTLS takes at most one record of this size. */
Test(server_replay_live, live_hello_limit_matches_mbedtls)
{
    cr_expect_eq(policy_live_max_hello(), MBEDTLS_SSL_IN_CONTENT_LEN);
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
