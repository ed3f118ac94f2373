#define _POSIX_C_SOURCE 200809L
#include "client_request.h"

#include <mbedtls/ecp.h>
#include <mbedtls/ssl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "proto.h"
#include "tlv.h"

int suite_id_from_name(const char *name)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", name);
    for (char *p = buf; *p; p++) {
        if (*p == '_') {
            *p = '-'; /* IANA spelling to mbedTLS spelling */
        }
    }
    int id = mbedtls_ssl_get_ciphersuite_id(buf);
    return id > 0 ? id : -1;
}

int group_id_from_name(const char *name)
{
    static const struct {
        const char *alias;
        const char *mbed;
    } aliases[] = {{"p256", "secp256r1"},   {"p-256", "secp256r1"}, {"prime256v1", "secp256r1"},
                   {"p384", "secp384r1"},   {"p-384", "secp384r1"}, {"p521", "secp521r1"},
                   {"curve25519", "x25519"}};
    const char *n = name;
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++) {
        if (strcasecmp(name, aliases[i].alias) == 0) {
            n = aliases[i].mbed;
        }
    }
    const mbedtls_ecp_curve_info *ci = mbedtls_ecp_curve_info_from_name(n);
    return ci ? ci->tls_id : -1;
}

int tls_version_from_name(const char *name)
{
    static const char *const names[] = {"tls1.0", "tls1.1", "tls1.2", "tls1.3"};
    for (int i = 0; i < 4; i++) {
        if (strcmp(name, names[i]) == 0) {
            return 0x0301 + i;
        }
    }
    return -1;
}

long long client_plan_time(const client_plan_t *p, time_t now)
{
    switch (p->time_kind) {
    case CLIENT_TIME_NONE:
        return -1;
    case CLIENT_TIME_FIXED:
        return p->time_fixed;
    case CLIENT_TIME_NOW:
    default:
        return (long long)now;
    }
}

size_t client_request_encode(const scenario_t *s, const char *scenario_id, time_t now, uint8_t *buf,
                             size_t cap, char *err, size_t errlen)
{
    const scenario_client_t *c = &s->client;
    const client_plan_t *p = &s->plan.client;
    tlv_writer_t w;
    tlv_writer_init(&w, buf, cap);
    tlv_put_str(&w, T_SCENARIO, scenario_id);
    if (p->n_suites > 0) {
        tlv_put_u16_array(&w, T_SUITES, p->suites, p->n_suites);
    }
    if (p->n_groups > 0) {
        tlv_put_u16_array(&w, T_GROUPS, p->groups, p->n_groups);
    }
    if (p->n_sig_hashes > 0) {
        tlv_put_bytes(&w, T_SIG_HASHES, p->sig_hashes, p->n_sig_hashes);
    }
    if (c->sni && strcmp(c->sni, "none") != 0) {
        tlv_put_str(&w, T_SNI, c->sni);
    }
    if (p->min_version) {
        tlv_put_u16(&w, T_MIN_VERSION, p->min_version);
    }
    if (p->max_version) {
        tlv_put_u16(&w, T_MAX_VERSION, p->max_version);
    }
    long long t = client_plan_time(p, now);
    if (t >= 0) {
        tlv_put_u64(&w, T_TIME, (uint64_t)t);
    }
    if (c->mfl) {
        tlv_put_u8(&w, T_MFL, (uint8_t)c->mfl);
    }
    tlv_put_u8(&w, T_DEBUG_LEVEL, (uint8_t)c->debug_level);
    tlv_put_u32(&w, T_READ_TIMEOUT, c->read_timeout_ms ? c->read_timeout_ms : 5000u);
    if (p->verify >= 0) {
        tlv_put_u8(&w, T_VERIFY, (uint8_t)p->verify);
    }
    if (p->cert_profile >= 0) {
        tlv_put_u8(&w, T_CERT_PROFILE, (uint8_t)p->cert_profile);
    }
    if (c->sim_fault) {
        tlv_put_str(&w, T_SIM_FAULT, c->sim_fault);
    }
    if (c->resume) {
        tlv_put_u8(&w, T_RESUME, 1);
    }
    if (p->resume_modes) {
        tlv_put_u8(&w, T_RESUME_MODES, p->resume_modes);
    }
    if (w.overflow) {
        snprintf(err, errlen, "%s: client settings do not fit one request", s->path);
        return 0;
    }
    return w.len;
}
