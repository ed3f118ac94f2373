/* The wolfSSL log parser on the golden logs (real wolfSSL 5.7.2 output, fixtures/wolfssl-logs)
 * and their degraded variants; wolfSSL's error names; which stack wrote a log. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logparse.h"
#include "wolfssl_errors.h"

static char *slurp(const char *dir, const char *rel, size_t *len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s/%s", getenv("TLSRIG_SOURCE_DIR"), dir, rel);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    cr_assert_eq(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    rewind(f);
    char *buf = malloc((size_t)n + 1);
    cr_assert_not_null(buf);
    cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

static logparse_result_t *parse_fixture(const char *dir, const char *rel, const char *stack)
{
    size_t len;
    char *text = slurp(dir, rel, &len);
    logparse_result_t *r = logparse_text_as(text, len, stack);
    free(text);
    cr_assert_not_null(r);
    return r;
}

static logparse_result_t *wolf(const char *rel)
{
    return parse_fixture("fixtures/wolfssl-logs", rel, NULL);
}

/* The first event of type (with num when num_wanted), NULL if none. */
static const logparse_event_t *find(const logparse_result_t *r, logparse_event_type_t type,
                                    bool num_wanted, long long num)
{
    for (size_t i = 0; i < logparse_event_count(r); i++) {
        const logparse_event_t *e = logparse_event_at(r, i);
        if (e->type == type && (!num_wanted || e->num == num))
            return e;
    }
    return NULL;
}

Test(wolfssl_logs_parser, field_case_no_supported_curves)
{
    logparse_result_t *r = wolf("no-supported-curves-gmail.log");
    cr_assert_eq(logparse_stack(r), LP_STACK_WOLFSSL);
    const logparse_event_t *a = find(r, LP_EV_ALERT_RECEIVED, false, 0);
    cr_assert_not_null(a);
    cr_assert_eq(a->num, 2);
    cr_assert_eq(a->num2, 40);
    cr_assert_str_eq(a->text, "Alert type: handshake_failure");
    const logparse_event_t *e = find(r, LP_EV_RETURN, true, -313);
    cr_assert_not_null(e);
    cr_assert_str_eq(e->str2, "FATAL_ERROR");
    const logparse_event_t *fin = find(r, LP_EV_FINAL_ERROR, false, 0);
    cr_assert_not_null(fin);
    cr_assert_eq(fin->num, -313);
    /* The hello's extensions as wolfSSL wrote them: no supported_groups, no server_name. */
    cr_assert_not_null(find(r, LP_EV_EXT_OFFERED, true, 13));
    cr_assert_not_null(find(r, LP_EV_EXT_OFFERED, true, 22));
    cr_assert_not_null(find(r, LP_EV_EXT_OFFERED, true, 23));
    cr_assert_null(find(r, LP_EV_EXT_OFFERED, true, 10));
    cr_assert_null(find(r, LP_EV_EXT_OFFERED, true, 0));
    const logparse_event_t *st = find(r, LP_EV_STATE, false, 0);
    cr_assert_not_null(st);
    cr_assert_str_eq(st->str, "CLIENT_HELLO_SENT");
    cr_assert_null(find(r, LP_EV_HANDSHAKE_DONE, false, 0));
    cr_assert_null(find(r, LP_EV_HS_MESSAGE, true, 2), "no ServerHello came");
    logparse_free(r);
}

Test(wolfssl_logs_parser, happy_handshake)
{
    logparse_result_t *r = wolf("happy-tls12.log");
    cr_assert_eq(logparse_stack(r), LP_STACK_WOLFSSL);
    cr_assert_not_null(find(r, LP_EV_HANDSHAKE_DONE, false, 0));
    static const int msgs[] = {2, 11, 12, 14, 20};
    for (size_t i = 0; i < sizeof msgs / sizeof msgs[0]; i++)
        cr_assert_not_null(find(r, LP_EV_HS_MESSAGE, true, msgs[i]), "message %d", msgs[i]);
    cr_assert_not_null(find(r, LP_EV_EXT_OFFERED, true, 10));
    cr_assert_not_null(find(r, LP_EV_EXT_OFFERED, true, 0));
    const logparse_event_t *close = find(r, LP_EV_ALERT_SENT, false, 0);
    cr_assert_not_null(close, "wolfSSL_shutdown sends close_notify");
    cr_assert_eq(close->num, 1);
    cr_assert_eq(close->num2, 0);
    cr_assert_null(find(r, LP_EV_FINAL_ERROR, false, 0));
    cr_assert_null(find(r, LP_EV_RETURN, false, 0), "a clean log has no error codes");
    logparse_free(r);
}

Test(wolfssl_logs_parser, unknown_ca_and_reset)
{
    logparse_result_t *r = wolf("unknown-ca.log");
    const logparse_event_t *e = find(r, LP_EV_RETURN, true, -188);
    cr_assert_not_null(e);
    cr_assert_str_eq(e->str2, "ASN_NO_SIGNER_E");
    const logparse_event_t *sent = find(r, LP_EV_ALERT_SENT, false, 0);
    cr_assert_not_null(sent);
    cr_assert_eq(sent->num2, 48);
    cr_assert_eq(find(r, LP_EV_FINAL_ERROR, false, 0)->num, -188);
    logparse_free(r);

    r = wolf("rsa-cert-ecdsa-suites-reset.log");
    const logparse_event_t *note = find(r, LP_EV_NOTE, false, 0);
    cr_assert_not_null(note);
    cr_assert_str_eq(note->str, "conn-reset");
    e = find(r, LP_EV_RETURN, true, -308);
    cr_assert_not_null(e);
    cr_assert_str_eq(e->str2, "SOCKET_ERROR_E");
    logparse_free(r);
}

/* Events compared by type and numbers, without the line numbers degraded variants shift. */
static bool same_event(const logparse_event_t *a, const logparse_event_t *b)
{
    return a->type == b->type && a->num == b->num && a->num2 == b->num2 &&
           (a->str == NULL) == (b->str == NULL) && (!a->str || strcmp(a->str, b->str) == 0);
}

Test(wolfssl_logs_parser, degraded_variants_keep_the_events)
{
    static const char *const names[] = {"no-supported-curves-gmail", "sni-missing", "unknown-ca",
                                        "rsa-cert-ecdsa-suites-reset", "happy-tls12"};
    char rel[256];
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        snprintf(rel, sizeof rel, "%s.log", names[k]);
        logparse_result_t *orig = wolf(rel);
        size_t n = logparse_event_count(orig);
        cr_assert_gt(n, 3, "%s", rel);
        /* CRLF and the logging prefix, and interleaved application lines (some carrying
         * wolfSSL-looking text inside free text): exactly the same events. */
        static const char *const whole[] = {"crlf", "noise"};
        for (size_t v = 0; v < 2; v++) {
            snprintf(rel, sizeof rel, "degraded/%s.%s.log", names[k], whole[v]);
            logparse_result_t *d = wolf(rel);
            cr_assert_eq(logparse_stack(d), LP_STACK_WOLFSSL, "%s", rel);
            cr_assert_eq(logparse_event_count(d), n, "%s: %zu events, original %zu", rel,
                         logparse_event_count(d), n);
            for (size_t i = 0; i < n; i++)
                cr_assert(same_event(logparse_event_at(orig, i), logparse_event_at(d, i)),
                          "%s: event %zu differs", rel, i);
            logparse_free(d);
        }
        /* Truncated: a prefix of the events (the final error is added at the end). */
        snprintf(rel, sizeof rel, "degraded/%s.truncated.log", names[k]);
        logparse_result_t *t = wolf(rel);
        for (size_t i = 0; i < logparse_event_count(t); i++) {
            const logparse_event_t *e = logparse_event_at(t, i);
            if (e->type != LP_EV_FINAL_ERROR)
                cr_assert(i < n && same_event(logparse_event_at(orig, i), e),
                          "%s: event %zu is not the original's", rel, i);
        }
        logparse_free(t);
        logparse_free(orig);
    }
}

static logparse_result_t *parse_str(const char *s)
{
    logparse_result_t *r = logparse_text_as(s, strlen(s), "wolfssl");
    cr_assert_not_null(r);
    return r;
}

Test(wolfssl_logs_parser, unknown_and_embedded_text_is_no_event)
{
    /* Patterns inside other text, trailing junk, unknown names: none is an event. */
    logparse_result_t *r =
        parse_str("app: wolfSSL error occurred, error = -188\n"
                  "wolfSSL error occurred, error = -313 because the user said so\n"
                  "wolfSSL Leaving wolfSSL_connect, return 1 (not really)\n"
                  "Alert type: not_an_alert\n"
                  "status Alert type: unknown_ca\n"
                  "SendAlert: x unknown_ca\n"
                  "connect state: Advanced from last buffered fragment send\n"
                  "processing something else\n"
                  "Mystery extension to write\n"
                  "wolfSSL error occurred, error = 40\n");
    cr_assert_eq(logparse_event_count(r), 0, "got %zu events", logparse_event_count(r));
    logparse_free(r);
}

Test(wolfssl_logs_parser, error_queue_form_and_prefixes)
{
    /* WOLFSSL_ERROR_LINE with an error queue logs the absolute value with line and file
     * (wolfcrypt/src/logging.c: "wolfSSL error occurred, error = %d line:%u file:%s");
     * wolfSSL's default logger prefixes "[PREFIX]: " and "[file L n] ". */
    logparse_result_t *r =
        parse_str("wolfSSL error occurred, error = 313 line:22040 file:src/internal.c\n"
                  "[wolfSSL]: [internal.c L 20655] Alert type: unknown_ca\n"
                  "[wolfSSL]: \tConnection reset\n");
    cr_assert_eq(logparse_event_count(r), 4);
    const logparse_event_t *e = logparse_event_at(r, 0);
    cr_assert_eq(e->type, LP_EV_RETURN);
    cr_assert_eq(e->num, -313);
    cr_assert_eq(logparse_event_at(r, 1)->type, LP_EV_ALERT_RECEIVED);
    cr_assert_eq(logparse_event_at(r, 1)->num2, 48);
    cr_assert_str_eq(logparse_event_at(r, 2)->str, "conn-reset");
    cr_assert_eq(logparse_event_at(r, 3)->type, LP_EV_FINAL_ERROR);
    logparse_free(r);
}

Test(wolfssl_logs_parser, any_bytes_are_safe)
{
    unsigned char buf[4096];
    unsigned x = 12345;
    for (int round = 0; round < 200; round++) {
        for (size_t i = 0; i < sizeof buf; i++) {
            x = x * 1103515245u + 12345u;
            buf[i] = (unsigned char)(x >> 16);
        }
        /* Sprinkle wolfSSL shapes so the wolfSSL matchers run on the garbage. */
        memcpy(buf + (x % 3000), "wolfSSL Leaving ", 16);
        memcpy(buf + (x % 2000) + 50, "\nconnect state: ", 16);
        logparse_result_t *r = logparse_text_as((const char *)buf, sizeof buf, "wolfssl");
        cr_assert_not_null(r);
        logparse_free(r);
    }
}

Test(wolfssl_logs_parser, error_names)
{
    static const struct {
        int code;
        const char *name;
    } want[] = {
        {-313, "FATAL_ERROR"},          {-308, "SOCKET_ERROR_E"},    {-322, "DOMAIN_NAME_MISMATCH"},
        {-188, "ASN_NO_SIGNER_E"},      {-501, "MATCH_SUITE_ERROR"}, {-326, "VERSION_ERROR"},
        {-397, "SOCKET_PEER_CLOSED_E"}, {-155, "ASN_SIG_CONFIRM_E"}, {-125, "MEMORY_E"},
        {-299, "SM4_CCM_AUTH_E"}, /* not the WC_LAST_E marker of the same value */
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        cr_assert_str_eq(wolfssl_error_name(want[i].code), want[i].name, "%d", want[i].code);
    cr_assert_null(wolfssl_error_lookup(-100), "MAX_CODE_E is a range marker");
    cr_assert_str_eq(wolfssl_error_name(-1), "UNKNOWN");
    cr_assert_str_eq(wolfssl_error_lookup(-313)->what, "recvd alert fatal error");
    /* Every code once, in wolfSSL's ranges. */
    size_t n = 0;
    for (const wolfssl_error_name_t *e = wolfssl_error_names; e->name; e++, n++) {
        cr_assert(e->code <= -101 && e->code >= -999, "%s %d", e->name, e->code);
        cr_assert_eq(wolfssl_error_lookup(e->code), e, "%d twice", e->code);
    }
    cr_assert_gt(n, 300);
}

Test(wolfssl_logs_parser, which_stack_wrote_it)
{
    static const struct {
        const char *dir, *file;
        logparse_stack_t stack;
    } logs[] = {
        {"fixtures/wolfssl-logs", "unknown-ca.log", LP_STACK_WOLFSSL},
        {"fixtures/wolfssl-logs", "degraded/sni-missing.noise.log", LP_STACK_WOLFSSL},
        {"fixtures/logs", "golden/unknown-ca.log", LP_STACK_MBEDTLS_2_28},
        {"fixtures/logs", "golden-mbedtls-3.6/cert-expired.log", LP_STACK_MBEDTLS_3_6},
        {"fixtures/logs", "T01_baseline.cli.log", LP_STACK_MBEDTLS_2_28},
        {"fixtures/logs", "U02_sni_unknown.cli.log", LP_STACK_MBEDTLS_3_6},
        {"fixtures/logs", "degraded/T03_forum.log", LP_STACK_MBEDTLS_2_28},
    };
    for (size_t i = 0; i < sizeof logs / sizeof logs[0]; i++) {
        logparse_result_t *r = parse_fixture(logs[i].dir, logs[i].file, NULL);
        cr_assert_eq(logparse_stack(r), logs[i].stack, "%s: %s", logs[i].file,
                     logparse_stack_name(logparse_stack(r)));
        logparse_free(r);
    }
    /* Forced: a wolfSSL log read as mbedTLS yields none of wolfSSL's events. */
    logparse_result_t *r = parse_fixture("fixtures/wolfssl-logs", "unknown-ca.log", "mbedtls-2.28");
    cr_assert_eq(logparse_stack(r), LP_STACK_MBEDTLS_2_28);
    cr_assert_null(find(r, LP_EV_RETURN, true, -188));
    logparse_free(r);
    logparse_stack_t s;
    cr_assert(logparse_stack_from_name("wolfssl", &s) && s == LP_STACK_WOLFSSL);
    cr_assert(!logparse_stack_from_name("openssl", &s));
}
