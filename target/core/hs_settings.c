#include "hs_settings.h"

#include <string.h>

#include "proto.h"
#include "tlv.h"

bool hs_settings_decode(const uint8_t *req, size_t len, hs_settings_t *s)
{
    memset(s, 0, sizeof *s);
    s->min_version = 0x0301;
    s->max_version = 0x0303;
    s->read_timeout_ms = 10000;
    s->verify = 2;

    tlv_reader_t r;
    tlv_item_t it;
    uint16_t u16s[HS_MAX_SUITES];
    uint8_t u8 = 0;
    bool ok = true;
    tlv_reader_init(&r, req, len);
    while (ok && tlv_next(&r, &it)) {
        switch (it.tag) {
        case T_SCENARIO:
            ok = tlv_get_str(&it, s->scenario, sizeof s->scenario);
            break;
        case T_SUITES:
            ok = it.len / 2u <= HS_MAX_SUITES &&
                 tlv_get_u16_array(&it, u16s, HS_MAX_SUITES, &s->n_suites);
            for (size_t i = 0; ok && i < s->n_suites; i++) {
                s->suites[i] = u16s[i];
                ok = u16s[i] != 0; /* 0 ends mbedTLS's list: the suites after it would vanish */
            }
            s->suites[s->n_suites] = 0;
            break;
        case T_GROUPS:
            ok = it.len / 2u <= HS_MAX_GROUPS &&
                 tlv_get_u16_array(&it, s->groups, HS_MAX_GROUPS, &s->n_groups);
            break;
        case T_SIG_HASHES:
            ok = it.len <= HS_MAX_HASHES;
            if (ok) {
                memcpy(s->hashes, it.value, it.len);
                s->n_hashes = it.len;
            }
            break;
        case T_SNI:
            /* An embedded NUL would verify a shorter name than the one sent. */
            ok = it.len < sizeof s->sni && memchr(it.value, 0, it.len) == NULL &&
                 tlv_get_str(&it, s->sni, sizeof s->sni);
            s->has_sni = ok;
            break;
        case T_MIN_VERSION:
            ok = tlv_get_u16(&it, &s->min_version);
            break;
        case T_MAX_VERSION:
            ok = tlv_get_u16(&it, &s->max_version);
            break;
        case T_TIME:
            ok = tlv_get_u64(&it, &s->time);
            s->has_time = ok;
            break;
        case T_MFL:
            ok = tlv_get_u8(&it, &s->mfl) && s->mfl <= 4;
            break;
        case T_DEBUG_LEVEL:
            ok = tlv_get_u8(&it, &s->debug_level) && s->debug_level <= 4;
            break;
        case T_READ_TIMEOUT:
            ok = tlv_get_u32(&it, &s->read_timeout_ms);
            break;
        case T_VERIFY:
            ok = tlv_get_u8(&it, &s->verify) && s->verify <= 2;
            break;
        case T_CERT_PROFILE:
            ok = tlv_get_u8(&it, &s->cert_profile) && s->cert_profile <= 3;
            break;
        case T_SIM_FAULT:
            ok = tlv_get_str(&it, s->sim_fault, sizeof s->sim_fault);
            break;
        case T_LOG_FORMAT:
            ok = tlv_get_u8(&it, &s->log_format) && (s->log_format & 3u) <= 2 &&
                 s->log_format <= (2u | LOG_FORMAT_FRESH);
            break;
        case T_RESUME:
            ok = tlv_get_u8(&it, &u8) && u8 <= 1;
            s->resume = ok && u8 == 1;
            break;
        case T_SEED:
            ok = it.len >= 1u && it.len <= sizeof s->seed;
            if (ok) {
                memcpy(s->seed, it.value, it.len);
                s->seed_len = it.len;
            }
            break;
        case T_RESUME_MODES:
            /* psk (1), ephemeral (2), psk_ephemeral (4): at least one. */
            ok = tlv_get_u8(&it, &s->resume_modes) && s->resume_modes >= 1 && s->resume_modes <= 7;
            break;
        default:
            break; /* newer host: ignore what we do not know */
        }
    }
    if (r.malformed) {
        return false;
    }
    return ok && s->min_version >= 0x0301 && s->max_version <= 0x0304 &&
           s->min_version <= s->max_version;
}
