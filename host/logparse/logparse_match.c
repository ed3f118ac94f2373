/* Message patterns of mbedTLS 2.28 and 3.x client debug output -> events. Each matcher looks at
 * the normalised message text only (no prefix), so it works on every prefix variant. */
#include "logparse_internal.h"

#include <ctype.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

const char *lp_after(const char *hay, const char *needle)
{
    const char *p = strstr(hay, needle);
    return p ? p + strlen(needle) : NULL;
}

bool lp_parse_hex(const char *s, long long *out, const char **end)
{
    while (*s == ' ')
        s++;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && isxdigit((unsigned char)s[2]))
        s += 2;
    if (!isxdigit((unsigned char)*s))
        return false;
    long long v = 0;
    int digits = 0;
    for (; isxdigit((unsigned char)*s); s++) {
        if (digits++ < 12) {
            int c = tolower((unsigned char)*s);
            v = v * 16 + (isdigit(c) ? c - '0' : c - 'a' + 10);
        }
    }
    *out = v;
    if (end)
        *end = s;
    return true;
}

bool lp_parse_int(const char *s, long long *out, const char **end)
{
    while (*s == ' ')
        s++;
    bool neg = *s == '-';
    if (neg)
        s++;
    if (!isdigit((unsigned char)*s))
        return false;
    long long v = 0;
    int digits = 0;
    for (; isdigit((unsigned char)*s); s++) {
        if (digits++ < 15)
            v = v * 10 + (*s - '0');
    }
    *out = neg ? -v : v;
    if (end)
        *end = s;
    return true;
}

/* Copy s up to (not including) any of the stop characters into out. */
static void copy_until(const char *s, const char *stops, char *out, size_t cap)
{
    while (*s == ' ')
        s++;
    size_t n = strcspn(s, stops);
    if (n >= cap)
        n = cap - 1;
    memcpy(out, s, n);
    while (n > 0 && out[n - 1] == ' ')
        n--;
    out[n] = '\0';
}

#define ADD(type, num, num2, str, str2)                                                            \
    do {                                                                                           \
        if (!lp_add_event(r, type, ln, num, num2, str, str2))                                      \
            return -1;                                                                             \
    } while (0)

enum needle {
    NEEDLE_CLIENT_STATE,
    NEEDLE_PROTOCOL_IS,
    NEEDLE_INPUT_RECORD_TYPE,
    NEEDLE_OUTPUT_RECORD_TYPE,
    NEEDLE_HS_MESSAGE_LEN,
    NEEDLE_ADD_CIPHERSUITE,
    NEEDLE_CH_GOT,
    NEEDLE_ADDING_SNI,
    NEEDLE_CH_ADDING,
    NEEDLE_CH_ADDING_COLON,
    NEEDLE_CLIENTHELLO_COLON,
    NEEDLE_NAMED_GROUP,
    NEEDLE_SENT_SIG_SCHEME,
    NEEDLE_CH_MAX_VERSION,
    NEEDLE_CH_CURRENT_TIME,
    NEEDLE_SH_CHOSEN_SUITE,
    NEEDLE_ECDH_CURVE,
    NEEDLE_DHE_GROUP,
    NEEDLE_SERVER_SIG_ALG,
    NEEDLE_SERVER_HASH_ALG,
    NEEDLE_CV_SIG_ALG,
    NEEDLE_VERIFY_FLAGS,
    NEEDLE_GOT_ALERT,
    NEEDLE_FATAL_ALERT,
    NEEDLE_SEND_ALERT,
    NEEDLE_LAST_ERROR,
    NEEDLE_HS_WRAPUP,
    NEEDLE_HS_DONE,
    NEEDLE_FINAL_FREE,
    NEEDLE_INPUT_RECORD,
    NEEDLE_VERIFY_FLAGS_CLEAR,
    NEEDLE_CLOSE_NOTIFY,
    NEEDLE_RETURNED,
    NEEDLE_BED, /* in every version banner mark below */
    NEEDLE_COUNT
};

static const char *const needle_text[NEEDLE_COUNT] = {
    [NEEDLE_CLIENT_STATE] = "client state: ",
    [NEEDLE_PROTOCOL_IS] = "[ Protocol is ",
    [NEEDLE_INPUT_RECORD_TYPE] = "input record: msgtype = ",
    [NEEDLE_OUTPUT_RECORD_TYPE] = "output record: msgtype = ",
    [NEEDLE_HS_MESSAGE_LEN] = "handshake message: msglen = ",
    [NEEDLE_ADD_CIPHERSUITE] = "add ciphersuite: ",
    [NEEDLE_CH_GOT] = "client hello, got ",
    [NEEDLE_ADDING_SNI] = "adding server name extension: ",
    [NEEDLE_CH_ADDING] = "client hello, adding ",
    [NEEDLE_CH_ADDING_COLON] = "client hello: adding ",
    [NEEDLE_CLIENTHELLO_COLON] = "ClientHello: ",
    [NEEDLE_NAMED_GROUP] = "NamedGroup: ",
    [NEEDLE_SENT_SIG_SCHEME] = "sent signature scheme [",
    [NEEDLE_CH_MAX_VERSION] = "client hello, max version: [",
    [NEEDLE_CH_CURRENT_TIME] = "client hello, current time: ",
    [NEEDLE_SH_CHOSEN_SUITE] = "server hello, chosen ciphersuite: ",
    [NEEDLE_ECDH_CURVE] = "ECDH curve: ",
    [NEEDLE_DHE_GROUP] = "DHE group name: ",
    [NEEDLE_SERVER_SIG_ALG] = "Server used SignatureAlgorithm ",
    [NEEDLE_SERVER_HASH_ALG] = "Server used HashAlgorithm ",
    [NEEDLE_CV_SIG_ALG] = "Certificate Verify: Signature algorithm (",
    [NEEDLE_VERIFY_FLAGS] = "Certificate verification flags ",
    [NEEDLE_GOT_ALERT] = "got an alert message, type: [",
    [NEEDLE_FATAL_ALERT] = "is a fatal alert message (msg ",
    [NEEDLE_SEND_ALERT] = "send alert level=",
    [NEEDLE_LAST_ERROR] = "Last error was: ",
    [NEEDLE_HS_WRAPUP] = "<= handshake wrapup",
    [NEEDLE_HS_DONE] = "handshake: done",
    [NEEDLE_FINAL_FREE] = "final free",
    [NEEDLE_INPUT_RECORD] = "input record",
    [NEEDLE_VERIFY_FLAGS_CLEAR] = "Certificate verification flags clear",
    [NEEDLE_CLOSE_NOTIFY] = "is a close notify message",
    [NEEDLE_RETURNED] = " returned ",
    [NEEDLE_BED] = "bed",
};

static lp_pairs_t g_needle_pairs[NEEDLE_COUNT];

/* lp_after and strstr on the line t, skipped when its pairs rule the needle out. */
static const char *after(const lp_pairs_t *set, const char *t, enum needle n)
{
    return lp_pairs_may_hold(set, &g_needle_pairs[n]) ? lp_after(t, needle_text[n]) : NULL;
}

static const char *find(const lp_pairs_t *set, const char *t, enum needle n)
{
    return lp_pairs_may_hold(set, &g_needle_pairs[n]) ? strstr(t, needle_text[n]) : NULL;
}

static bool has(const lp_pairs_t *set, const char *t, enum needle n)
{
    return find(set, t, n) != NULL;
}

static int match_version(logparse_result_t *r, const lp_line_t *ln, const char *t,
                         const lp_pairs_t *set)
{
    if (!has(set, t, NEEDLE_BED))
        return 0; /* every mark holds it */
    static const char *const marks[] = {"Mbed TLS ", "mbed TLS ",        "mbedTLS ",
                                        "MbedTLS ",  "mbedtls version ", "mbed TLS version "};
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
        const char *p = lp_after(t, marks[i]);
        if (!p)
            continue;
        if (strncmp(p, "version ", 8) == 0)
            p += 8;
        int a, b, c = 0, used = 0;
        if (sscanf(p, "%3d.%3d.%3d%n", &a, &b, &c, &used) >= 2 && a >= 1 && a <= 9) {
            char v[32];
            snprintf(v, sizeof v, "%d.%d.%d", a, b, c);
            if (r->version[0] == '\0')
                snprintf(r->version, sizeof r->version, "%s", v);
            ADD(LP_EV_VERSION_BANNER, a * 10000 + b * 100 + c, 0, v, NULL);
            return 1;
        }
    }
    return 0;
}

static int match_handshake_flow(logparse_result_t *r, const lp_line_t *ln, const char *t,
                                const lp_pairs_t *set)
{
    const char *p;
    long long v;
    if ((p = after(set, t, NEEDLE_CLIENT_STATE))) {
        if (lp_parse_int(p, &v, NULL))
            ADD(LP_EV_STATE, v, 0, NULL, NULL);
        else {
            char name[64];
            copy_until(p, " ", name, sizeof name);
            ADD(LP_EV_STATE, -1, 0, name, NULL);
        }
        return 1;
    }
    if (has(set, t, NEEDLE_HS_WRAPUP) || has(set, t, NEEDLE_HS_DONE)) {
        if (!has(set, t, NEEDLE_FINAL_FREE))
            ADD(LP_EV_HANDSHAKE_DONE, 0, 0, NULL, NULL);
        return 1;
    }
    if ((p = after(set, t, NEEDLE_PROTOCOL_IS))) {
        char proto[32];
        copy_until(p, " ]", proto, sizeof proto);
        ADD(LP_EV_PROTOCOL, 0, 0, proto, NULL);
        ADD(LP_EV_HANDSHAKE_DONE, 0, 0, NULL, NULL);
        return 1;
    }
    if ((p = after(set, t, NEEDLE_INPUT_RECORD_TYPE)) ||
        (p = after(set, t, NEEDLE_OUTPUT_RECORD_TYPE))) {
        long long type, mlen = -1;
        if (!lp_parse_int(p, &type, NULL))
            return 0;
        const char *q = lp_after(p, "msglen = ");
        if (q)
            lp_parse_int(q, &mlen, NULL);
        ADD(has(set, t, NEEDLE_INPUT_RECORD) ? LP_EV_RECORD_IN : LP_EV_RECORD_OUT, type, mlen, NULL,
            NULL);
        return 1;
    }
    if ((p = after(set, t, NEEDLE_HS_MESSAGE_LEN))) {
        long long type = -1, hslen = -1;
        const char *q = lp_after(p, "type = ");
        if (q)
            lp_parse_int(q, &type, NULL);
        if ((q = lp_after(p, "hslen = ")))
            lp_parse_int(q, &hslen, NULL);
        ADD(LP_EV_HS_MESSAGE, type, hslen, NULL, NULL);
        return 1;
    }
    return 0;
}

static int match_client_hello(logparse_result_t *r, const lp_line_t *ln, const char *t,
                              const lp_pairs_t *set)
{
    const char *p, *e;
    long long v;
    char name[128];
    if ((p = after(set, t, NEEDLE_ADD_CIPHERSUITE))) {
        if (!lp_parse_hex(p, &v, &e))
            return 0;
        name[0] = '\0';
        while (*e == ' ' || *e == ',' || *e == '(')
            e++;
        copy_until(e, ")", name, sizeof name);
        ADD(LP_EV_SUITE_OFFERED, v, 0, name[0] ? name : NULL, NULL);
        return 1;
    }
    if ((p = after(set, t, NEEDLE_CH_GOT)) && lp_parse_int(p, &v, NULL)) {
        ADD(LP_EV_SUITE_COUNT, v, 0, NULL, NULL);
        return 1;
    }
    if ((p = after(set, t, NEEDLE_ADDING_SNI))) {
        /* The rest of the line: names with spaces (a certificate CN) are a field failure. */
        copy_until(p, "\r\t", name, sizeof name);
        ADD(LP_EV_EXT_OFFERED, 0, 0, "server_name", NULL);
        if (name[0])
            ADD(LP_EV_SNI, 0, 0, name, NULL);
        return 1;
    }
    if ((p = after(set, t, NEEDLE_CH_ADDING)) || (p = after(set, t, NEEDLE_CH_ADDING_COLON))) {
        const char *end = strstr(p, " extension");
        if (!end)
            return 0;
        size_t n = (size_t)(end - p) < sizeof name - 1 ? (size_t)(end - p) : sizeof name - 1;
        memcpy(name, p, n);
        name[n] = '\0';
        ADD(LP_EV_EXT_OFFERED, lp_extension_id_from_name(name), 0, name, NULL);
        return 1;
    }
    if ((p = after(set, t, NEEDLE_CLIENTHELLO_COLON)) && strstr(p, "extension exists")) {
        const char *paren = strchr(p, '(');
        copy_until(p, "(", name, sizeof name);
        if (paren && lp_parse_int(paren + 1, &v, NULL))
            ADD(LP_EV_EXT_OFFERED, v, 0, name, NULL);
        return 1;
    }
    if ((p = after(set, t, NEEDLE_NAMED_GROUP))) {
        copy_until(p, "(", name, sizeof name);
        const char *paren = strchr(p, '(');
        if (paren && lp_parse_hex(paren + 1, &v, NULL))
            ADD(LP_EV_GROUP_OFFERED, v, 0, name, NULL);
        return 1;
    }
    if ((p = after(set, t, NEEDLE_SENT_SIG_SCHEME))) {
        if (lp_parse_hex(p, &v, &e)) {
            if (*e == ']')
                e++;
            copy_until(e, " ", name, sizeof name);
            ADD(LP_EV_SIGALG_OFFERED, v, 0, name, NULL);
        }
        return 1;
    }
    if ((p = after(set, t, NEEDLE_CH_MAX_VERSION))) {
        long long maj, min;
        if (lp_parse_int(p, &maj, &e) && *e == ':' && lp_parse_int(e + 1, &min, NULL))
            ADD(LP_EV_MAX_VERSION, (maj << 8) | min, 0, NULL, NULL);
        return 1;
    }
    if ((p = after(set, t, NEEDLE_CH_CURRENT_TIME)) && lp_parse_int(p, &v, NULL)) {
        ADD(LP_EV_CLIENT_TIME, v, 0, NULL, NULL);
        return 1;
    }
    return 0;
}

static int match_server_side(logparse_result_t *r, const lp_line_t *ln, const char *t,
                             const lp_pairs_t *set)
{
    const char *p, *e;
    long long v;
    char name[128];
    if ((p = after(set, t, NEEDLE_SH_CHOSEN_SUITE))) {
        while (*p == ' ')
            p++;
        if (*p == '(' && lp_parse_hex(p + 1, &v, &e)) {
            const char *dash = strchr(e, '-');
            copy_until(dash ? dash + 1 : "", "", name, sizeof name);
            ADD(LP_EV_SERVER_SUITE, v, 0, name[0] ? name : NULL, NULL);
        } else if (strncmp(p, "TLS", 3) == 0) {
            copy_until(p, " ", name, sizeof name);
            ADD(LP_EV_SERVER_SUITE, -1, 0, name, NULL);
        } else if (lp_parse_hex(p, &v, NULL)) {
            ADD(LP_EV_SERVER_SUITE, v, 0, NULL, NULL);
        }
        return 1;
    }
    if ((p = after(set, t, NEEDLE_ECDH_CURVE)) || (p = after(set, t, NEEDLE_DHE_GROUP))) {
        copy_until(p, " ", name, sizeof name);
        ADD(LP_EV_SERVER_GROUP, 0, 0, name, NULL);
        return 1;
    }
    if ((p = after(set, t, NEEDLE_SERVER_SIG_ALG)) && lp_parse_int(p, &v, NULL)) {
        ADD(LP_EV_SERVER_SIGALG, v, 0, "SignatureAlgorithm", NULL);
        return 1;
    }
    if ((p = after(set, t, NEEDLE_SERVER_HASH_ALG)) && lp_parse_int(p, &v, NULL)) {
        ADD(LP_EV_SERVER_SIGALG, v, 0, "HashAlgorithm", NULL);
        return 1;
    }
    if ((p = after(set, t, NEEDLE_CV_SIG_ALG))) {
        if (lp_parse_hex(p, &v, NULL))
            ADD(LP_EV_SERVER_SIGALG, v, 0, "SignatureScheme", NULL);
        return 1;
    }
    return 0;
}

static const char *const cert_keys[] = {"cert. version", "serial number", "issuer name",
                                        "subject name",  "issued  on",    "issued on",
                                        "expires on",    "signed using",  "RSA key size",
                                        "EC key size",   "EC key size:",  "basic constraints"};

static const struct {
    const char *text;
    unsigned bit;
} verify_msgs[] = {
    {"certificate validity has expired", 0x01},
    {"certificate has been revoked", 0x02},
    {"does not match with the expected CN", 0x04},
    {"not correctly signed by the trusted CA", 0x08},
    {"Certificate was missing", 0x40},
    {"verification was skipped", 0x80},
    {"Other reason (can be used by verify callback)", 0x100},
    {"certificate validity starts in the future", 0x200},
    {"Usage does not match the keyUsage extension", 0x800},
    {"Usage does not match the extendedKeyUsage extension", 0x1000},
    {"signed with an unacceptable hash", 0x4000},
    {"signed with an unacceptable PK alg", 0x8000},
    {"signed with an unacceptable key", 0x10000},
};

#define VERIFY_MSG_COUNT (sizeof verify_msgs / sizeof verify_msgs[0])

static lp_pairs_t g_verify_pairs[VERIFY_MSG_COUNT];
static pthread_once_t g_pairs_once = PTHREAD_ONCE_INIT;

static void pairs_init(void)
{
    for (size_t i = 0; i < NEEDLE_COUNT; i++)
        lp_pairs_add(&g_needle_pairs[i], needle_text[i]);
    for (size_t i = 0; i < VERIFY_MSG_COUNT; i++)
        lp_pairs_add(&g_verify_pairs[i], verify_msgs[i].text);
}

static int match_certificate(logparse_result_t *r, const lp_line_t *ln, const char *t,
                             const lp_pairs_t *set)
{
    const char *p;
    long long v;
    if (has(set, t, NEEDLE_VERIFY_FLAGS_CLEAR)) {
        ADD(LP_EV_VERIFY_FLAGS, 0, 0, "flags clear", NULL);
        return 1;
    }
    if ((p = after(set, t, NEEDLE_VERIFY_FLAGS)) && lp_parse_hex(p, &v, NULL)) {
        ADD(LP_EV_VERIFY_FLAGS, v, 0, t, NULL);
        return 1;
    }
    for (size_t i = 0; i < sizeof verify_msgs / sizeof verify_msgs[0]; i++) {
        if (lp_pairs_may_hold(set, &g_verify_pairs[i]) && strstr(t, verify_msgs[i].text)) {
            ADD(LP_EV_VERIFY_FLAGS, verify_msgs[i].bit, 0, t, NULL);
            return 1;
        }
    }
    for (size_t i = 0; i < sizeof cert_keys / sizeof cert_keys[0]; i++) {
        if (t[0] != cert_keys[i][0])
            continue; /* what strncmp would find first */
        size_t n = strlen(cert_keys[i]);
        if (strncmp(t, cert_keys[i], n) != 0)
            continue;
        const char *q = t + n;
        while (*q == ' ')
            q++;
        if (*q != ':')
            continue;
        q++;
        while (*q == ' ')
            q++;
        const char *key = strcmp(cert_keys[i], "issued  on") == 0 ? "issued on" : cert_keys[i];
        ADD(LP_EV_CERT_FIELD, 0, 0, key, q);
        return 1;
    }
    return 0;
}

static int match_alerts(logparse_result_t *r, const lp_line_t *ln, const char *t,
                        const lp_pairs_t *set)
{
    const char *p, *e;
    long long lvl, desc;
    if ((p = after(set, t, NEEDLE_GOT_ALERT))) {
        if (lp_parse_int(p, &lvl, &e) && *e == ':' && lp_parse_int(e + 1, &desc, NULL))
            ADD(LP_EV_ALERT_RECEIVED, lvl, desc, NULL, NULL);
        return 1;
    }
    if ((p = after(set, t, NEEDLE_FATAL_ALERT))) {
        if (lp_parse_int(p, &desc, NULL))
            ADD(LP_EV_ALERT_RECEIVED, 2, desc, NULL, NULL);
        return 1;
    }
    if (has(set, t, NEEDLE_CLOSE_NOTIFY)) {
        ADD(LP_EV_ALERT_RECEIVED, 1, 0, NULL, NULL);
        return 1;
    }
    if ((p = after(set, t, NEEDLE_SEND_ALERT))) {
        const char *m = lp_after(p, "message=");
        if (lp_parse_int(p, &lvl, NULL) && m && lp_parse_int(m, &desc, NULL))
            ADD(LP_EV_ALERT_SENT, lvl, desc, NULL, NULL);
        return 1;
    }
    return 0;
}

/* "FUNC() returned -30592 (-0x7780)", "! FUNC returned -0x7780", "Last error was: -0x7780". */
static int match_returns(logparse_result_t *r, const lp_line_t *ln, const char *t,
                         const lp_pairs_t *set)
{
    const char *p;
    long long v;
    if ((p = after(set, t, NEEDLE_LAST_ERROR))) {
        while (*p == ' ')
            p++;
        bool neg = *p == '-';
        if (lp_parse_hex(neg ? p + 1 : p, &v, NULL) && v > 0 && v <= 0xFFFF)
            ADD(LP_EV_FINAL_ERROR, -v, 0, NULL, NULL);
        return 1;
    }
    const char *ret = find(set, t, NEEDLE_RETURNED);
    if (!ret)
        return 0;
    p = ret + 10;
    while (*p == ' ')
        p++;
    long long code = 0;
    const char *e;
    if (p[0] == '-' && p[1] == '0' && (p[2] == 'x' || p[2] == 'X')) {
        if (!lp_parse_hex(p + 1, &v, NULL))
            return 0;
        code = -v;
    } else if (lp_parse_int(p, &v, &e)) {
        code = v;
        const char *h = lp_after(e, "(-0x");
        long long hv;
        if (v < 0 && h && lp_parse_hex(h, &hv, NULL))
            code = -hv;
    } else {
        return 0;
    }
    if (code >= 0 || code < -0xFFFF)
        return 1; /* byte counts and success are not errors */
    /* Function name: the token before " returned", without "()" and a leading "!". */
    const char *start = ret;
    while (start > t && start[-1] != ' ')
        start--;
    char fn[96];
    size_t n = (size_t)(ret - start);
    if (n >= sizeof fn)
        n = sizeof fn - 1;
    memcpy(fn, start, n);
    fn[n] = '\0';
    if (n >= 2 && strcmp(fn + n - 2, "()") == 0)
        fn[n - 2] = '\0';
    ADD(LP_EV_RETURN, code, 0, fn, NULL);
    if (t[0] == '!' && strstr(fn, "mbedtls_ssl_handshake"))
        ADD(LP_EV_FINAL_ERROR, code, 0, fn, NULL);
    return 1;
}

int lp_match_line(logparse_result_t *r, const lp_line_t *ln, const lp_pairs_t *set)
{
    const char *t = ln->text;
    if (t[0] == '\0')
        return 0;
    pthread_once(&g_pairs_once, pairs_init);
    int (*const matchers[])(logparse_result_t *, const lp_line_t *, const char *,
                            const lp_pairs_t *) = {
        match_handshake_flow, match_client_hello, match_server_side, match_alerts,
        match_certificate,    match_returns,      match_version,
    };
    for (size_t i = 0; i < sizeof matchers / sizeof matchers[0]; i++) {
        int m = matchers[i](r, ln, t, set);
        if (m != 0)
            return m < 0 ? -1 : 0;
    }
    return 0;
}
