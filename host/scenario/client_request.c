#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE /* timegm */
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
    } aliases[] = {{"p256", "secp256r1"}, {"p-256", "secp256r1"}, {"prime256v1", "secp256r1"},
                   {"p384", "secp384r1"}, {"p-384", "secp384r1"}, {"p521", "secp521r1"},
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

static int hash_id(const char *name)
{
    static const char *const names[] = {"md5", "sha1", "sha224", "sha256", "sha384", "sha512"};
    for (int i = 0; i < 6; i++) {
        if (strcasecmp(name, names[i]) == 0) {
            return i + 1;
        }
    }
    return -1;
}

long long client_time_resolve(const char *v, time_t now)
{
    if (!v || strcmp(v, "now") == 0) {
        return (long long)now;
    }
    if (strcmp(v, "none") == 0) {
        return -1;
    }
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    int n = sscanf(v, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                   &tm.tm_hour, &tm.tm_min, &tm.tm_sec);
    if (n != 3 && n != 6) {
        return -2;
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return (long long)timegm(&tm);
}

size_t client_request_encode(const scenario_t *s, const char *scenario_id, time_t now, uint8_t *buf,
                             size_t cap, char *err, size_t errlen)
{
    const scenario_client_t *c = &s->client;
    tlv_writer_t w;
    tlv_writer_init(&w, buf, cap);
    tlv_put_str(&w, T_SCENARIO, scenario_id);

    uint16_t ids[64];
    if (c->suites_count > 64 || c->groups_count > 16) {
        snprintf(err, errlen, "%s: too many suites (64 max) or groups (16 max)", s->path);
        return 0;
    }
    for (unsigned i = 0; i < c->suites_count; i++) {
        int id = suite_id_from_name(c->suites[i]);
        if (id < 0) {
            snprintf(err, errlen, "%s:%u: key 'suites': unknown cipher suite '%s'", s->path,
                     scenario_key_line(s, "suites"),
                     c->suites[i]);
            return 0;
        }
        ids[i] = (uint16_t)id;
    }
    if (c->suites_count > 0) {
        tlv_put_u16_array(&w, T_SUITES, ids, c->suites_count);
    }
    for (unsigned i = 0; i < c->groups_count; i++) {
        int id = group_id_from_name(c->groups[i]);
        if (id < 0) {
            snprintf(err, errlen, "%s:%u: key 'groups': unknown group '%s'", s->path,
                     scenario_key_line(s, "groups"), c->groups[i]);
            return 0;
        }
        ids[i] = (uint16_t)id;
    }
    if (c->groups_count > 0) {
        tlv_put_u16_array(&w, T_GROUPS, ids, c->groups_count);
    }
    if (c->sig_hashes_count > 0) {
        uint8_t h[8];
        if (c->sig_hashes_count > sizeof h) {
            snprintf(err, errlen, "%s: client.sig_hashes: at most 8", s->path);
            return 0;
        }
        for (unsigned i = 0; i < c->sig_hashes_count; i++) {
            int id = hash_id(c->sig_hashes[i]);
            if (id < 0) {
                snprintf(err, errlen, "%s:%u: key 'sig_hashes': unknown hash '%s'", s->path,
                         scenario_key_line(s, "sig_hashes"),
                         c->sig_hashes[i]);
                return 0;
            }
            h[i] = (uint8_t)id;
        }
        tlv_put_bytes(&w, T_SIG_HASHES, h, c->sig_hashes_count);
    }
    if (c->sni && strcmp(c->sni, "none") != 0) {
        tlv_put_str(&w, T_SNI, c->sni);
    }
    if (c->min_version) {
        tlv_put_u16(&w, T_MIN_VERSION, (uint16_t)tls_version_from_name(c->min_version));
    }
    if (c->max_version) {
        tlv_put_u16(&w, T_MAX_VERSION, (uint16_t)tls_version_from_name(c->max_version));
    }
    long long t = client_time_resolve(c->time, now);
    if (t == -2) {
        snprintf(err, errlen, "%s: client.time: '%s' is not now, none or YYYY-MM-DD[THH:MM:SS]",
                 s->path, c->time);
        return 0;
    }
    if (t >= 0) {
        tlv_put_u64(&w, T_TIME, (uint64_t)t);
    }
    if (c->mfl) {
        tlv_put_u8(&w, T_MFL, (uint8_t)c->mfl);
    }
    tlv_put_u8(&w, T_DEBUG_LEVEL, (uint8_t)c->debug_level);
    tlv_put_u32(&w, T_READ_TIMEOUT, c->read_timeout_ms ? c->read_timeout_ms : 5000u);
    if (c->verify) {
        tlv_put_u8(&w, T_VERIFY,
                   strcmp(c->verify, "none") == 0 ? 0 : strcmp(c->verify, "optional") == 0 ? 1 : 2);
    }
    if (c->cert_profile) {
        static const char *const names[] = {"default", "allow-sha1", "next", "suiteb"};
        for (uint8_t i = 0; i < 4; i++) {
            if (strcmp(c->cert_profile, names[i]) == 0) {
                tlv_put_u8(&w, T_CERT_PROFILE, i);
            }
        }
    }
    if (c->sim_fault) {
        tlv_put_str(&w, T_SIM_FAULT, c->sim_fault);
    }
    if (w.overflow) {
        snprintf(err, errlen, "%s: client settings do not fit one request", s->path);
        return 0;
    }
    return w.len;
}
