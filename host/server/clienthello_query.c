/* Questions about a parsed ClientHello (offers, versions) and the alert and
 * text for an inspector error; see clienthello.h. */
#include <string.h>

#include "clienthello.h"
#include "tls_names.h"

uint8_t clienthello_alert_for(int err)
{
    switch (err) {
    case CH_ERR_ILLEGAL:
        return 47; /* illegal_parameter */
    case CH_ERR_RECORD_OVERFLOW:
        return 22; /* record_overflow */
    case CH_ERR_UNEXPECTED:
    case CH_ERR_NOT_TLS:
        return 10; /* unexpected_message */
    case CH_ERR_SSLV2:
    case CH_ERR_LIMIT:
        return 40; /* handshake_failure */
    default:
        return 50; /* decode_error */
    }
}

const char *clienthello_strerror(int err)
{
    switch (err) {
    case 0:
        return "ok";
    case CH_ERR_ARG:
        return "bad arguments";
    case CH_ERR_TRUNCATED:
        return "truncated ClientHello";
    case CH_ERR_NOT_TLS:
        return "not a TLS handshake";
    case CH_ERR_SSLV2:
        return "SSLv2-compatible ClientHello";
    case CH_ERR_DECODE:
        return "malformed ClientHello";
    case CH_ERR_ILLEGAL:
        return "illegal parameter in ClientHello";
    case CH_ERR_LIMIT:
        return "ClientHello beyond the inspector's limits";
    case CH_ERR_RECORD_OVERFLOW:
        return "record too long";
    case CH_ERR_UNEXPECTED:
        return "unexpected message before the ClientHello";
    default:
        return "unknown error";
    }
}

bool clienthello_has_ext(const clienthello_t *ch, uint16_t type)
{
    for (size_t i = 0; i < ch->n_exts; i++)
        if (ch->exts[i].type == type)
            return true;
    return false;
}

bool clienthello_offers_suite(const clienthello_t *ch, uint16_t suite)
{
    for (size_t i = 0; i < ch->n_suites; i++)
        if (ch->suites[i] == suite)
            return true;
    return false;
}

bool clienthello_offers_group(const clienthello_t *ch, uint16_t group)
{
    for (size_t i = 0; i < ch->n_groups; i++)
        if (ch->groups[i] == group)
            return true;
    return false;
}

bool clienthello_shares_key(const clienthello_t *ch, uint16_t group)
{
    for (size_t i = 0; i < ch->n_key_shares; i++)
        if (ch->key_shares[i].group == group)
            return true;
    return false;
}

bool clienthello_offers_psk_mode(const clienthello_t *ch, uint8_t mode)
{
    return ch->has_psk_modes && memchr(ch->psk_modes, mode, ch->n_psk_modes) != NULL;
}

size_t clienthello_versions(const clienthello_t *ch, uint16_t *out, size_t max)
{
    size_t n = 0;
    if (ch->has_versions) {
        for (size_t i = 0; i < ch->n_versions && n < max; i++)
            if (!tls_is_grease(ch->versions[i]))
                out[n++] = ch->versions[i];
        return n;
    }
    /* Without supported_versions, legacy_version is the highest offered. */
    uint16_t top = ch->legacy_version > 0x0303 ? 0x0303 : ch->legacy_version;
    for (uint16_t v = top; v >= 0x0301 && n < max; v--)
        out[n++] = v;
    return n;
}
