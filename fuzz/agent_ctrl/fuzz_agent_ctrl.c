/* The agent's CTRL request decoder on arbitrary input: byte 0 is the CTRL
 * type, the rest its TLV payload (what the link delivers from the host).
 * Checked: the TLV reader stays in bounds and accounts for every byte; the
 * decoder answers one of its statuses; an accepted request is in range, its
 * strings terminated, and says exactly what the payload said (re-encoded and
 * decoded again it is the same request). Any broken invariant aborts. */
#include <stdlib.h>
#include <string.h>

#include "ctrl_request.h"
#include "proto.h"
#include "tlv.h"

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static void check_tlv_reader(const uint8_t *buf, size_t len)
{
    tlv_reader_t r;
    tlv_item_t it;
    size_t consumed = 0;
    tlv_reader_init(&r, buf, len);
    while (tlv_next(&r, &it)) {
        CHECK(it.value == buf + consumed + 3u);
        CHECK((size_t)it.len <= len - consumed - 3u);
        consumed += 3u + it.len;
        CHECK(r.pos == consumed);
    }
    /* Either every byte was an item, or the rest is a truncated item. */
    CHECK(r.malformed == (consumed != len));
}

static bool str_terminated(const char *s, size_t cap)
{
    return memchr(s, 0, cap) != NULL;
}

/* The last item with this tag, as the decoder (last one wins) sees it. */
static bool last_item(const uint8_t *buf, size_t len, uint8_t tag, tlv_item_t *out)
{
    tlv_reader_t r;
    tlv_item_t it;
    bool found = false;
    tlv_reader_init(&r, buf, len);
    while (tlv_next(&r, &it)) {
        if (it.tag == tag) {
            *out = it;
            found = true;
        }
    }
    return found;
}

static void check_settings(const hs_settings_t *s, const uint8_t *payload, size_t len)
{
    CHECK(str_terminated(s->scenario, sizeof s->scenario));
    CHECK(str_terminated(s->sni, sizeof s->sni));
    CHECK(str_terminated(s->sim_fault, sizeof s->sim_fault));
    CHECK(s->n_suites <= HS_MAX_SUITES && s->suites[s->n_suites] == 0);
    for (size_t i = 0; i < s->n_suites; i++) {
        CHECK(s->suites[i] != 0); /* 0 ends mbedTLS's list: later suites would vanish */
    }
    CHECK(s->n_groups <= HS_MAX_GROUPS && s->n_hashes <= HS_MAX_HASHES);
    CHECK(s->min_version >= 0x0301 && s->max_version <= 0x0304 && s->min_version <= s->max_version);
    CHECK(s->mfl <= 4 && s->debug_level <= 4 && s->verify <= 2 && s->cert_profile <= 3);
    CHECK(s->resume_modes <= 7); /* issue 17 psk13: mbedTLS's three mode bits */
    tlv_item_t it;
    if (s->has_sni) {
        /* The name verified is the name sent: never cut at an embedded NUL. */
        CHECK(last_item(payload, len, T_SNI, &it) && strlen(s->sni) == it.len);
    }
}

/* Write the decoded settings back as a request, decode it, compare. */
static void check_settings_round_trip(const hs_settings_t *s)
{
    static uint8_t buf[2048];
    static ctrl_request_t again;
    uint16_t u16[HS_MAX_SUITES];
    tlv_writer_t w;
    tlv_writer_init(&w, buf, sizeof buf);
    tlv_put_str(&w, T_SCENARIO, s->scenario);
    if (s->n_suites > 0) {
        for (size_t i = 0; i < s->n_suites; i++) {
            u16[i] = (uint16_t)s->suites[i];
        }
        tlv_put_u16_array(&w, T_SUITES, u16, s->n_suites);
    }
    if (s->n_groups > 0) {
        tlv_put_u16_array(&w, T_GROUPS, s->groups, s->n_groups);
    }
    if (s->n_hashes > 0) {
        tlv_put_bytes(&w, T_SIG_HASHES, s->hashes, s->n_hashes);
    }
    if (s->has_sni) {
        tlv_put_str(&w, T_SNI, s->sni);
    }
    tlv_put_u16(&w, T_MIN_VERSION, s->min_version);
    tlv_put_u16(&w, T_MAX_VERSION, s->max_version);
    if (s->has_time) {
        tlv_put_u64(&w, T_TIME, s->time);
    }
    tlv_put_u8(&w, T_MFL, s->mfl);
    tlv_put_u8(&w, T_DEBUG_LEVEL, s->debug_level);
    tlv_put_u32(&w, T_READ_TIMEOUT, s->read_timeout_ms);
    tlv_put_u8(&w, T_VERIFY, s->verify);
    tlv_put_u8(&w, T_CERT_PROFILE, s->cert_profile);
    tlv_put_str(&w, T_SIM_FAULT, s->sim_fault);
    tlv_put_u8(&w, T_RESUME, s->resume ? 1u : 0u);
    if (s->resume_modes) {
        tlv_put_u8(&w, T_RESUME_MODES, s->resume_modes);
    }
    CHECK(!w.overflow);
    CHECK(ctrl_request_decode(CTRL_HANDSHAKE, buf, w.len, &again) == ST_OK);
    const hs_settings_t *t = &again.u.handshake;
    CHECK(strcmp(s->scenario, t->scenario) == 0 && strcmp(s->sim_fault, t->sim_fault) == 0);
    CHECK(s->resume == t->resume && s->resume_modes == t->resume_modes);
    CHECK(s->n_suites == t->n_suites &&
          memcmp(s->suites, t->suites, (s->n_suites + 1u) * sizeof s->suites[0]) == 0);
    CHECK(s->n_groups == t->n_groups &&
          memcmp(s->groups, t->groups, s->n_groups * sizeof s->groups[0]) == 0);
    CHECK(s->n_hashes == t->n_hashes && memcmp(s->hashes, t->hashes, s->n_hashes) == 0);
    CHECK(s->has_sni == t->has_sni && strcmp(s->sni, t->sni) == 0);
    CHECK(s->min_version == t->min_version && s->max_version == t->max_version);
    CHECK(s->has_time == t->has_time && (!s->has_time || s->time == t->time));
    CHECK(s->mfl == t->mfl && s->debug_level == t->debug_level);
    CHECK(s->read_timeout_ms == t->read_timeout_ms && s->verify == t->verify);
    CHECK(s->cert_profile == t->cert_profile);
}

static void check_fault(const ctrl_request_t *rq)
{
    static uint8_t buf[64];
    static ctrl_request_t again;
    CHECK(str_terminated(rq->u.fault.name, sizeof rq->u.fault.name));
    CHECK(rq->u.fault.name[0] != '\0');
    tlv_writer_t w;
    tlv_writer_init(&w, buf, sizeof buf);
    tlv_put_str(&w, T_FAULT_NAME, rq->u.fault.name);
    tlv_put_u32(&w, T_FAULT_EVERY, rq->u.fault.every);
    CHECK(!w.overflow);
    CHECK(ctrl_request_decode(CTRL_FAULT, buf, w.len, &again) == ST_OK);
    CHECK(strcmp(again.u.fault.name, rq->u.fault.name) == 0);
    CHECK(again.u.fault.every == rq->u.fault.every);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static ctrl_request_t rq;
    if (size == 0) {
        return 0;
    }
    uint8_t type = data[0];
    const uint8_t *payload = data + 1;
    size_t len = size - 1u;
    check_tlv_reader(payload, len);

    uint8_t st = ctrl_request_decode(type, payload, len, &rq);
    CHECK(st == rq.status && rq.type == type);
    CHECK(st == ST_OK || st == ST_ERR_MALFORMED || st == ST_ERR_UNSUPPORTED);
    bool known = type >= CTRL_HELLO && type <= CTRL_RESET;
    CHECK(known == (st != ST_ERR_UNSUPPORTED));
    if (st != ST_OK) {
        return 0;
    }
    switch (type) {
    case CTRL_CA_DATA:
    case CTRL_ENTROPY: {
        CHECK(rq.u.data.len <= len);
        CHECK(rq.u.data.len == 0 ||
              (rq.u.data.data >= payload && rq.u.data.data + rq.u.data.len <= payload + len));
        volatile uint8_t sink = 0;
        for (size_t i = 0; i < rq.u.data.len; i++) {
            sink ^= rq.u.data.data[i]; /* ASan checks the bounds */
        }
        (void)sink;
        break;
    }
    case CTRL_FAULT:
        check_fault(&rq);
        break;
    case CTRL_HANDSHAKE:
        check_settings(&rq.u.handshake, payload, len);
        check_settings_round_trip(&rq.u.handshake);
        break;
    default:
        break;
    }
    return 0;
}
