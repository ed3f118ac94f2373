/* Client log events -> dg_facts_t: one pass, keeping the event that proves each fact. */
#include "diagnose_internal.h"

#include <stdio.h>
#include <string.h>

static bool is_ecc_suite(long long id, const char *name)
{
    if (name && (strstr(name, "ECDHE") || strstr(name, "ECDH-")))
        return true;
    /* 0xC0xx ECC suites, 0xCCA8/0xCCA9 ECDHE ChaCha; TLS 1.3 suites always need groups. */
    return (id >= 0xC001 && id <= 0xC03B) || (id >= 0xC048 && id <= 0xC04F) ||
           (id >= 0xC072 && id <= 0xC079) || (id >= 0xC086 && id <= 0xC08D) ||
           (id >= 0xC0AC && id <= 0xC0AF) || id == 0xCCA8 || id == 0xCCA9 ||
           (id >= 0x1301 && id <= 0x1305);
}

static void add_group(dg_facts_t *f, long long id)
{
    f->n_groups++;
    f->mainstream_group |= id == 29 || id == 23;
    size_t used = strlen(f->groups_text);
    const char *name = logparse_group_name((int)id);
    if (used + 24 < sizeof f->groups_text)
        snprintf(f->groups_text + used, sizeof f->groups_text - used, "%s%s", used ? ", " : "",
                 name ? name : "?");
}

static void add_code(dg_facts_t *f, const logparse_event_t *e)
{
    for (size_t i = 0; i < f->n_codes; i++) {
        if (f->codes[i] == (int)e->num)
            return;
    }
    if (f->n_codes < DG_MAX_CODES) {
        f->codes[f->n_codes] = (int)e->num;
        f->code_ev[f->n_codes++] = e;
    }
}

static void from_clienthello(dg_facts_t *f, const logparse_clienthello_t *ch)
{
    f->ch = ch;
    f->hello_sent = f->hello_detail = true;
    for (size_t i = 0; i < ch->n_extensions; i++) {
        if (ch->extensions[i] == 10)
            f->groups_ext = true;
    }
    if (ch->has_sni && !f->sni_sent) {
        f->sni_sent = true;
        snprintf(f->sni, sizeof f->sni, "%.200s", ch->sni);
    }
    if (ch->has_suites && !f->suites_known) {
        f->suites_known = true;
        f->n_suites = (int)ch->n_suites;
        for (size_t i = 0; i < ch->n_suites; i++) {
            if (is_ecc_suite(ch->suites[i], NULL))
                f->ecc_suites = true;
        }
    }
    if (f->n_groups == 0) {
        for (size_t i = 0; i < ch->n_groups; i++)
            add_group(f, ch->groups[i]);
    }
}

/* "2020-01-01 00:00:00" -> seconds since 1970 (UTC, proleptic Gregorian); -1 if malformed. */
static long long cert_date_to_epoch(const char *s)
{
    int y, mo, d, h, mi, sec;
    if (sscanf(s, "%4d-%2d-%2d %2d:%2d:%2d", &y, &mo, &d, &h, &mi, &sec) != 6 || y < 1 || mo < 1 ||
        mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60 || h < 0 || mi < 0 || sec < 0)
        return -1;
    /* Days from civil date (March-based year so that leap days come last). */
    long long yy = mo <= 2 ? y - 1 : y;
    long long era = yy / 400;
    long long yoe = yy - era * 400;
    long long doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    long long days = era * 146097 + doe - 719468;
    return days * 86400 + h * 3600 + mi * 60 + sec;
}

static void cert_field(dg_facts_t *f, const logparse_event_t *e)
{
    if (!e->str || !e->str2)
        return;
    /* The first certificate printed is the server's own (the chain follows it). */
    if (strcmp(e->str, "issued on") == 0 && !f->cert_not_before_ev) {
        f->cert_not_before = cert_date_to_epoch(e->str2);
        f->cert_not_before_ev = f->cert_not_before >= 0 ? e : NULL;
    }
    if (strcmp(e->str, "expires on") == 0 && !f->cert_not_after_ev) {
        f->cert_not_after = cert_date_to_epoch(e->str2);
        f->cert_not_after_ev = f->cert_not_after >= 0 ? e : NULL;
    }
    if (strcmp(e->str, "signed using") == 0 &&
        (strstr(e->str2, "SHA1") || strstr(e->str2, "SHA-1"))) {
        f->cert_sha1 = true;
        f->cert_sig_ev = e;
    }
    if (strcmp(e->str, "RSA key size") == 0) {
        int bits = 0;
        if (sscanf(e->str2, "%d", &bits) == 1 && bits > f->rsa_bits) {
            f->rsa_bits = bits;
            f->rsa_bits_ev = e;
        }
    }
}

/* How the connection ended, in either stack's words: mbedTLS NET_CONN_RESET / SSL_CONN_EOF /
 * SSL_TIMEOUT, wolfSSL SOCKET_ERROR_E after wolfio's "Connection reset" /
 * SOCKET_PEER_CLOSED_E / the receive timeout. */
static void connection_end(dg_facts_t *f)
{
    bool reset_note = false;
    for (size_t i = 0; i < f->n_notes; i++)
        reset_note |= f->notes[i]->str && strcmp(f->notes[i]->str, "conn-reset") == 0;
    for (size_t i = 0; i < f->n_codes; i++) {
        int code = f->codes[i];
        if (f->wolfssl) {
            f->reset |= code == -308 && reset_note;
            f->eof |= code == -397 || code == -343;
            f->timed_out |= code == -107;
        } else {
            f->reset |= code == -0x0050;
            f->eof |= code == -0x7280;
            f->timed_out |= code == -0x6800;
        }
    }
}

void dg_collect_facts(const diagnose_input_t *in, dg_facts_t *f)
{
    memset(f, 0, sizeof *f);
    f->alert_rcv = f->alert_sent = -1;
    f->max_level = -1;
    f->version = diagnose_version_number(in->mbedtls_version);
    const logparse_result_t *r = in->log;
    f->wolfssl =
        in->stack ? strcmp(in->stack, "wolfssl") == 0 : r && logparse_stack(r) == LP_STACK_WOLFSSL;
    if (f->wolfssl)
        f->version = 0; /* mbedTLS release numbers do not apply */
    if (!r)
        return;
    f->have_log = true;
    f->max_level = logparse_max_level(r);
    if (!f->version)
        f->version = diagnose_version_number(logparse_version(r));
    for (size_t i = 0; i < logparse_event_count(r); i++) {
        const logparse_event_t *e = logparse_event_at(r, i);
        switch (e->type) {
        case LP_EV_SUITE_OFFERED:
            f->hello_sent = true;
            f->suites_known = true;
            f->n_suites++;
            f->suites_ev = f->suites_ev ? f->suites_ev : e;
            if (is_ecc_suite(e->num, e->str))
                f->ecc_suites = true;
            break;
        case LP_EV_GROUP_OFFERED:
            add_group(f, e->num);
            break;
        case LP_EV_EXT_OFFERED:
            f->hello_sent = f->hello_detail = true;
            if (e->num == 10) {
                f->groups_ext = true;
                f->groups_ev = e;
            }
            /* wolfSSL logs that it writes server_name, not the name itself. */
            if (e->num == 0 && !f->sni_sent) {
                f->sni_sent = true;
                f->sni_ev = e;
                snprintf(f->sni, sizeof f->sni, "(name not logged)");
            }
            break;
        case LP_EV_SNI:
            f->sni_sent = true;
            f->sni_ev = e;
            snprintf(f->sni, sizeof f->sni, "%.200s", e->str ? e->str : "");
            break;
        case LP_EV_CLIENT_TIME:
            f->client_time_known = true;
            f->client_time = e->num;
            f->client_time_ev = e;
            break;
        case LP_EV_SERVER_SUITE:
            if (e->num > 0 && e->num <= 0xFFFF && !f->server_suite) {
                f->server_suite = (int)e->num;
                f->server_suite_ev = e;
            }
            f->server_hello = true;
            break;
        case LP_EV_SERVER_VERSION:
            f->server_hello = true;
            break;
        case LP_EV_SERVER_GROUP:
            f->server_group_ev = e;
            break;
        case LP_EV_SERVER_SIGALG:
            f->server_sigalg_ev = e;
            break;
        case LP_EV_HS_MESSAGE:
            if (e->num == 2)
                f->server_hello = true;
            if (e->num == 13)
                f->cert_request = true;
            break;
        case LP_EV_RECORD_OUT:
            if (e->num == 22)
                f->hello_sent = true;
            break;
        case LP_EV_HANDSHAKE_DONE:
            f->handshake_done = true;
            f->done_ev = e;
            break;
        case LP_EV_ALERT_RECEIVED:
            if (e->num == 2 || e->num2 != 0 || f->alert_rcv < 0) {
                f->alert_rcv = (int)e->num2;
                f->alert_rcv_ev = e;
            }
            break;
        case LP_EV_ALERT_SENT:
            if (e->num2 != 0 || f->alert_sent < 0) {
                f->alert_sent = (int)e->num2;
                f->alert_sent_ev = e;
            }
            break;
        case LP_EV_VERIFY_FLAGS:
            f->flags_seen = true;
            f->flags |= (unsigned)e->num;
            if (e->num && f->n_flags_ev < 8)
                f->flags_ev[f->n_flags_ev++] = e;
            break;
        case LP_EV_RETURN:
            add_code(f, e);
            break;
        case LP_EV_FINAL_ERROR:
            f->final_code = (int)e->num;
            f->final_ev = e;
            add_code(f, e);
            break;
        case LP_EV_NOTE:
            if (f->n_notes < DG_MAX_NOTES)
                f->notes[f->n_notes++] = e;
            break;
        case LP_EV_CERT_FIELD:
            cert_field(f, e);
            break;
        default:
            break;
        }
    }
    const logparse_clienthello_t *ch = logparse_clienthello(r);
    if (ch && ch->present)
        from_clienthello(f, ch);
    connection_end(f);
    /* A log whose printf cannot print mbedTLS's 64-bit "current time"
     * (newlib-nano prints "%lld" as "ld") still has the client's clock in the
     * gmt_unix_time of the ClientHello random the server parsed (TLS 1.2). */
    const server_view_t *sv = in->server;
    if (!f->client_time_known && sv && sv->has_clienthello && f->hello_sent) {
        f->client_time_known = true;
        f->client_time = sv->client_random_time;
        f->client_time_ev = NULL;
    }
}
