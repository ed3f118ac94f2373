/* The agent's CTRL request decoder (target/core/ctrl_request.c): the status
 * each command gets for good and bad payloads, and the settings it accepts.
 * Runs without an agent image; fuzz/agent_ctrl covers arbitrary input. */
#include <criterion/criterion.h>
#include <string.h>

#include "ctrl_request.h"
#include "proto.h"
#include "tlv.h"

static ctrl_request_t rq;
static uint8_t buf[512];
static tlv_writer_t w;

static void setup(void)
{
    tlv_writer_init(&w, buf, sizeof buf);
}

TestSuite(ctrl_request, .init = setup);

static uint8_t decode(uint8_t type)
{
    cr_assert_not(w.overflow);
    return ctrl_request_decode(type, buf, w.len, &rq);
}

Test(ctrl_request, commands_without_arguments_ignore_the_payload)
{
    const uint8_t types[] = {CTRL_HELLO, CTRL_CA_CLEAR, CTRL_SELFTEST,
                             CTRL_BENCH, CTRL_PING,     CTRL_RESET};
    tlv_put_str(&w, T_TEXT, "ignored");
    for (size_t i = 0; i < sizeof types; i++) {
        cr_expect_eq(decode(types[i]), ST_OK, "type %u", types[i]);
        cr_expect_eq(rq.type, types[i]);
    }
}

Test(ctrl_request, unknown_commands_are_unsupported)
{
    cr_expect_eq(decode(0), ST_ERR_UNSUPPORTED);
    cr_expect_eq(decode(CTRL_RESET + 1), ST_ERR_UNSUPPORTED);
    cr_expect_eq(decode(63), ST_ERR_UNSUPPORTED);
}

Test(ctrl_request, ca_data_points_into_the_payload)
{
    tlv_put_str(&w, T_DATA, "PEM");
    cr_assert_eq(decode(CTRL_CA_DATA), ST_OK);
    cr_expect_eq(rq.u.data.len, 3u);
    cr_expect_eq(rq.u.data.data, buf + 3);
    cr_expect_eq(decode(CTRL_ENTROPY), ST_OK);
}

Test(ctrl_request, data_commands_need_data_and_a_well_formed_payload)
{
    tlv_put_str(&w, T_TEXT, "no data");
    cr_expect_eq(decode(CTRL_CA_DATA), ST_ERR_MALFORMED);
    tlv_writer_init(&w, buf, sizeof buf);
    tlv_put_str(&w, T_DATA, "ok");
    buf[w.len++] = T_TEXT; /* a truncated item after the data */
    cr_expect_eq(decode(CTRL_CA_DATA), ST_ERR_MALFORMED, "damaged tail, whatever came before");
    cr_expect_eq(decode(CTRL_ENTROPY), ST_ERR_MALFORMED);
}

Test(ctrl_request, fault_name_and_period)
{
    tlv_put_str(&w, T_FAULT_NAME, "aes-gcm-tag");
    tlv_put_u32(&w, T_FAULT_EVERY, 3);
    cr_assert_eq(decode(CTRL_FAULT), ST_OK);
    cr_expect_str_eq(rq.u.fault.name, "aes-gcm-tag");
    cr_expect_eq(rq.u.fault.every, 3u);
}

Test(ctrl_request, fault_names_that_would_be_cut_are_malformed)
{
    char longname[CTRL_FAULT_NAME_CAP + 1];
    memset(longname, 'a', sizeof longname - 1u);
    longname[sizeof longname - 1u] = '\0';
    tlv_put_str(&w, T_FAULT_NAME, longname);
    cr_expect_eq(decode(CTRL_FAULT), ST_ERR_MALFORMED, "too long");
    tlv_writer_init(&w, buf, sizeof buf);
    tlv_put_bytes(&w, T_FAULT_NAME, "rng\0stuck", 9);
    cr_expect_eq(decode(CTRL_FAULT), ST_ERR_MALFORMED, "embedded NUL");
    tlv_writer_init(&w, buf, sizeof buf);
    tlv_put_str(&w, T_FAULT_NAME, "x");
    tlv_put_u8(&w, T_FAULT_EVERY, 3);
    cr_expect_eq(decode(CTRL_FAULT), ST_ERR_MALFORMED, "period of the wrong width");
}

Test(ctrl_request, handshake_settings)
{
    const uint16_t suites[] = {0xC02F, 0xCCA8};
    tlv_put_str(&w, T_SCENARIO, "s1");
    tlv_put_u16_array(&w, T_SUITES, suites, 2);
    tlv_put_str(&w, T_SNI, "server.test");
    tlv_put_u16(&w, T_MAX_VERSION, 0x0303);
    cr_assert_eq(decode(CTRL_HANDSHAKE), ST_OK);
    const hs_settings_t *s = &rq.u.handshake;
    cr_expect_str_eq(s->scenario, "s1");
    cr_expect_eq(s->n_suites, 2u);
    cr_expect_eq(s->suites[1], 0xCCA8);
    cr_expect_eq(s->suites[2], 0, "0-terminated for mbedTLS");
    cr_expect(s->has_sni);
    cr_expect_str_eq(s->sni, "server.test");
    cr_expect_eq(s->verify, 2, "verification required unless the host says otherwise");
}

/* Found while writing the fuzz target's invariants: suite id 0 ends the list
 * mbedTLS reads, so the suites after it were silently not offered. */
Test(ctrl_request, suite_id_zero_is_malformed)
{
    const uint16_t suites[] = {0xC02F, 0x0000, 0xCCA8};
    tlv_put_u16_array(&w, T_SUITES, suites, 3);
    cr_expect_eq(decode(CTRL_HANDSHAKE), ST_ERR_MALFORMED);
}

/* Same: "good.test\0evil" was accepted and verified as "good.test". */
Test(ctrl_request, sni_with_an_embedded_nul_is_malformed)
{
    tlv_put_bytes(&w, T_SNI, "good.test\0evil", 14);
    cr_expect_eq(decode(CTRL_HANDSHAKE), ST_ERR_MALFORMED);
}

Test(ctrl_request, handshake_ranges)
{
    tlv_put_u8(&w, T_VERIFY, 3);
    cr_expect_eq(decode(CTRL_HANDSHAKE), ST_ERR_MALFORMED);
    tlv_writer_init(&w, buf, sizeof buf);
    tlv_put_u16(&w, T_MIN_VERSION, 0x0303);
    tlv_put_u16(&w, T_MAX_VERSION, 0x0302);
    cr_expect_eq(decode(CTRL_HANDSHAKE), ST_ERR_MALFORMED);
    tlv_writer_init(&w, buf, sizeof buf);
    uint8_t bad[] = {T_SNI, 0xFF, 0x00, 'x'};
    cr_expect_eq(ctrl_request_decode(CTRL_HANDSHAKE, bad, sizeof bad, &rq), ST_ERR_MALFORMED);
}

/* issue 17 psk13: resumption settings, and their bounds. */
Test(ctrl_request, resume_and_its_key_exchange_modes)
{
    tlv_put_u8(&w, T_RESUME, 1);
    tlv_put_u8(&w, T_RESUME_MODES, 1);
    cr_assert_eq(decode(CTRL_HANDSHAKE), ST_OK);
    cr_expect(rq.u.handshake.resume);
    cr_expect_eq(rq.u.handshake.resume_modes, 1, "psk_ke only: a PSK-only client");
    tlv_writer_init(&w, buf, sizeof buf);
    cr_assert_eq(decode(CTRL_HANDSHAKE), ST_OK);
    cr_expect_not(rq.u.handshake.resume, "absent: one connection");
    cr_expect_eq(rq.u.handshake.resume_modes, 0, "absent: the build's modes");
    static const struct {
        uint8_t tag, value;
        const char *what;
    } bad[] = {{T_RESUME, 2, "resume is 0 or 1"},
               {T_RESUME_MODES, 0, "no mode at all"},
               {T_RESUME_MODES, 8, "a bit mbedTLS does not have"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        tlv_writer_init(&w, buf, sizeof buf);
        tlv_put_u8(&w, bad[i].tag, bad[i].value);
        cr_expect_eq(decode(CTRL_HANDSHAKE), ST_ERR_MALFORMED, "%s", bad[i].what);
    }
    tlv_writer_init(&w, buf, sizeof buf);
    tlv_put_u16(&w, T_RESUME_MODES, 4);
    cr_expect_eq(decode(CTRL_HANDSHAKE), ST_ERR_MALFORMED, "modes of the wrong width");
}

/* issue 16: the TEST ONLY seed inside the HANDSHAKE request (T_SEED). */
Test(ctrl_request, handshake_seed_is_copied_and_bounded)
{
    uint8_t seed[32];
    for (size_t i = 0; i < sizeof seed; i++) {
        seed[i] = (uint8_t)(i * 7u + 1u);
    }
    tlv_put_bytes(&w, T_SEED, seed, sizeof seed);
    cr_assert_eq(decode(CTRL_HANDSHAKE), ST_OK);
    cr_expect_eq(rq.u.handshake.seed_len, sizeof seed);
    cr_expect_arr_eq(rq.u.handshake.seed, seed, sizeof seed);

    tlv_writer_init(&w, buf, sizeof buf);
    cr_assert_eq(decode(CTRL_HANDSHAKE), ST_OK);
    cr_expect_eq(rq.u.handshake.seed_len, 0u, "no T_SEED: no seed");

    uint8_t too_long[HS_MAX_SEED + 1] = {0};
    tlv_writer_init(&w, buf, sizeof buf);
    tlv_put_bytes(&w, T_SEED, too_long, sizeof too_long);
    cr_expect_eq(decode(CTRL_HANDSHAKE), ST_ERR_MALFORMED);
    tlv_writer_init(&w, buf, sizeof buf);
    tlv_put_bytes(&w, T_SEED, too_long, 0);
    cr_expect_eq(decode(CTRL_HANDSHAKE), ST_ERR_MALFORMED, "an empty seed");
}
