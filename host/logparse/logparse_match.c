/* Message patterns of mbedTLS 2.28 and 3.x client debug output -> events. Each matcher looks at
 * the normalised message text only (no prefix), so it works on every prefix variant. */
#include "logparse_internal.h"

#include <ctype.h>
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

static int match_version(logparse_result_t *r, const lp_line_t *ln, const char *t)
{
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

static int match_handshake_flow(logparse_result_t *r, const lp_line_t *ln, const char *t)
{
    const char *p;
    long long v;
    if ((p = lp_after(t, "client state: "))) {
        if (lp_parse_int(p, &v, NULL))
            ADD(LP_EV_STATE, v, 0, NULL, NULL);
        else {
            char name[64];
            copy_until(p, " ", name, sizeof name);
            ADD(LP_EV_STATE, -1, 0, name, NULL);
        }
        return 1;
    }
    if (strstr(t, "<= handshake wrapup") || strstr(t, "handshake: done")) {
        if (!strstr(t, "final free"))
            ADD(LP_EV_HANDSHAKE_DONE, 0, 0, NULL, NULL);
        return 1;
    }
    if ((p = lp_after(t, "[ Protocol is "))) {
        char proto[32];
        copy_until(p, " ]", proto, sizeof proto);
        ADD(LP_EV_PROTOCOL, 0, 0, proto, NULL);
        ADD(LP_EV_HANDSHAKE_DONE, 0, 0, NULL, NULL);
        return 1;
    }
    if ((p = lp_after(t, "input record: msgtype = ")) ||
        (p = lp_after(t, "output record: msgtype = "))) {
        long long type, mlen = -1;
        if (!lp_parse_int(p, &type, NULL))
            return 0;
        const char *q = lp_after(p, "msglen = ");
        if (q)
            lp_parse_int(q, &mlen, NULL);
        ADD(strstr(t, "input record") ? LP_EV_RECORD_IN : LP_EV_RECORD_OUT, type, mlen, NULL, NULL);
        return 1;
    }
    if ((p = lp_after(t, "handshake message: msglen = "))) {
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

static int match_client_hello(logparse_result_t *r, const lp_line_t *ln, const char *t)
{
    const char *p, *e;
    long long v;
    char name[128];
    if ((p = lp_after(t, "add ciphersuite: "))) {
        if (!lp_parse_hex(p, &v, &e))
            return 0;
        name[0] = '\0';
        while (*e == ' ' || *e == ',' || *e == '(')
            e++;
        copy_until(e, ")", name, sizeof name);
        ADD(LP_EV_SUITE_OFFERED, v, 0, name[0] ? name : NULL, NULL);
        return 1;
    }
    if ((p = lp_after(t, "client hello, got ")) && lp_parse_int(p, &v, NULL)) {
        ADD(LP_EV_SUITE_COUNT, v, 0, NULL, NULL);
        return 1;
    }
    if ((p = lp_after(t, "adding server name extension: "))) {
        /* The rest of the line: names with spaces (a certificate CN) are a field failure. */
        copy_until(p, "\r\t", name, sizeof name);
        ADD(LP_EV_EXT_OFFERED, 0, 0, "server_name", NULL);
        if (name[0])
            ADD(LP_EV_SNI, 0, 0, name, NULL);
        return 1;
    }
    if ((p = lp_after(t, "client hello, adding ")) || (p = lp_after(t, "client hello: adding "))) {
        const char *end = strstr(p, " extension");
        if (!end)
            return 0;
        size_t n = (size_t)(end - p) < sizeof name - 1 ? (size_t)(end - p) : sizeof name - 1;
        memcpy(name, p, n);
        name[n] = '\0';
        ADD(LP_EV_EXT_OFFERED, lp_extension_id_from_name(name), 0, name, NULL);
        return 1;
    }
    if ((p = lp_after(t, "ClientHello: ")) && strstr(p, "extension exists")) {
        const char *paren = strchr(p, '(');
        copy_until(p, "(", name, sizeof name);
        if (paren && lp_parse_int(paren + 1, &v, NULL))
            ADD(LP_EV_EXT_OFFERED, v, 0, name, NULL);
        return 1;
    }
    if ((p = lp_after(t, "NamedGroup: "))) {
        copy_until(p, "(", name, sizeof name);
        const char *paren = strchr(p, '(');
        if (paren && lp_parse_hex(paren + 1, &v, NULL))
            ADD(LP_EV_GROUP_OFFERED, v, 0, name, NULL);
        return 1;
    }
    if ((p = lp_after(t, "sent signature scheme ["))) {
        if (lp_parse_hex(p, &v, &e)) {
            if (*e == ']')
                e++;
            copy_until(e, " ", name, sizeof name);
            ADD(LP_EV_SIGALG_OFFERED, v, 0, name, NULL);
        }
        return 1;
    }
    if ((p = lp_after(t, "client hello, max version: ["))) {
        long long maj, min;
        if (lp_parse_int(p, &maj, &e) && *e == ':' && lp_parse_int(e + 1, &min, NULL))
            ADD(LP_EV_MAX_VERSION, (maj << 8) | min, 0, NULL, NULL);
        return 1;
    }
    if ((p = lp_after(t, "client hello, current time: ")) && lp_parse_int(p, &v, NULL)) {
        ADD(LP_EV_CLIENT_TIME, v, 0, NULL, NULL);
        return 1;
    }
    return 0;
}

static int match_server_side(logparse_result_t *r, const lp_line_t *ln, const char *t)
{
    const char *p, *e;
    long long v;
    char name[128];
    if ((p = lp_after(t, "server hello, chosen ciphersuite: "))) {
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
    if ((p = lp_after(t, "ECDH curve: ")) || (p = lp_after(t, "DHE group name: "))) {
        copy_until(p, " ", name, sizeof name);
        ADD(LP_EV_SERVER_GROUP, 0, 0, name, NULL);
        return 1;
    }
    if ((p = lp_after(t, "Server used SignatureAlgorithm ")) && lp_parse_int(p, &v, NULL)) {
        ADD(LP_EV_SERVER_SIGALG, v, 0, "SignatureAlgorithm", NULL);
        return 1;
    }
    if ((p = lp_after(t, "Server used HashAlgorithm ")) && lp_parse_int(p, &v, NULL)) {
        ADD(LP_EV_SERVER_SIGALG, v, 0, "HashAlgorithm", NULL);
        return 1;
    }
    if ((p = lp_after(t, "Certificate Verify: Signature algorithm ("))) {
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

static int match_certificate(logparse_result_t *r, const lp_line_t *ln, const char *t)
{
    const char *p;
    long long v;
    if (strstr(t, "Certificate verification flags clear")) {
        ADD(LP_EV_VERIFY_FLAGS, 0, 0, "flags clear", NULL);
        return 1;
    }
    if ((p = lp_after(t, "Certificate verification flags ")) && lp_parse_hex(p, &v, NULL)) {
        ADD(LP_EV_VERIFY_FLAGS, v, 0, t, NULL);
        return 1;
    }
    for (size_t i = 0; i < sizeof verify_msgs / sizeof verify_msgs[0]; i++) {
        if (strstr(t, verify_msgs[i].text)) {
            ADD(LP_EV_VERIFY_FLAGS, verify_msgs[i].bit, 0, t, NULL);
            return 1;
        }
    }
    for (size_t i = 0; i < sizeof cert_keys / sizeof cert_keys[0]; i++) {
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

static int match_alerts(logparse_result_t *r, const lp_line_t *ln, const char *t)
{
    const char *p, *e;
    long long lvl, desc;
    if ((p = lp_after(t, "got an alert message, type: ["))) {
        if (lp_parse_int(p, &lvl, &e) && *e == ':' && lp_parse_int(e + 1, &desc, NULL))
            ADD(LP_EV_ALERT_RECEIVED, lvl, desc, NULL, NULL);
        return 1;
    }
    if ((p = lp_after(t, "is a fatal alert message (msg "))) {
        if (lp_parse_int(p, &desc, NULL))
            ADD(LP_EV_ALERT_RECEIVED, 2, desc, NULL, NULL);
        return 1;
    }
    if (strstr(t, "is a close notify message")) {
        ADD(LP_EV_ALERT_RECEIVED, 1, 0, NULL, NULL);
        return 1;
    }
    if ((p = lp_after(t, "send alert level="))) {
        const char *m = lp_after(p, "message=");
        if (lp_parse_int(p, &lvl, NULL) && m && lp_parse_int(m, &desc, NULL))
            ADD(LP_EV_ALERT_SENT, lvl, desc, NULL, NULL);
        return 1;
    }
    return 0;
}

/* "FUNC() returned -30592 (-0x7780)", "! FUNC returned -0x7780", "Last error was: -0x7780". */
static int match_returns(logparse_result_t *r, const lp_line_t *ln, const char *t)
{
    const char *p;
    long long v;
    if ((p = lp_after(t, "Last error was: "))) {
        while (*p == ' ')
            p++;
        bool neg = *p == '-';
        if (lp_parse_hex(neg ? p + 1 : p, &v, NULL) && v > 0 && v <= 0xFFFF)
            ADD(LP_EV_FINAL_ERROR, -v, 0, NULL, NULL);
        return 1;
    }
    const char *ret = strstr(t, " returned ");
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

int lp_match_line(logparse_result_t *r, const lp_line_t *ln)
{
    const char *t = ln->text;
    if (t[0] == '\0')
        return 0;
    int (*const matchers[])(logparse_result_t *, const lp_line_t *, const char *) = {
        match_handshake_flow, match_client_hello, match_server_side, match_alerts,
        match_certificate,    match_returns,      match_version,
    };
    for (size_t i = 0; i < sizeof matchers / sizeof matchers[0]; i++) {
        int m = matchers[i](r, ln, t);
        if (m != 0)
            return m < 0 ? -1 : 0;
    }
    return 0;
}
