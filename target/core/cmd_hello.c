/* HELLO: who we are, what we run, what we can do. The host compares the
 * build id with the image it flashed and refuses to go on when they differ. */
#include <stdio.h>
#include <string.h>

#include "agent.h"
#include "build_info.h"
#include "commands.h"
#include "hello_board_facts.h"
#include "mbedtls/ecp.h"
#include "mbedtls/ssl.h"
#include "mbedtls/version.h"
#include "panic_record.h"
#include "port.h"
#include "proto.h"
#include "tls_platform.h"
#include "tlv.h"

/* Features compiled into this image, for scenario `requires:`. */
static const char k_features[] = "tls1.2"
                                 ",seed-in-request" /* T_SEED in HANDSHAKE (agent.c) */
#if defined(AGENT_ACK_DELAY_MS)
                                 ",ack-delay" /* the host may hold TUNNEL acks too (agent.c) */
#endif
#if defined(MBEDTLS_SSL_PROTO_TLS1_3)
                                 ",tls1.3"
#endif
#if defined(MBEDTLS_SHA1_C)
                                 ",sha1"
#endif
#if defined(MBEDTLS_SHA256_C)
                                 ",sha256"
#endif
#if defined(MBEDTLS_SHA512_C)
                                 ",sha512"
#endif
#if defined(MBEDTLS_GCM_C)
                                 ",gcm"
#endif
#if defined(MBEDTLS_CHACHAPOLY_C)
                                 ",chachapoly"
#endif
#if defined(MBEDTLS_CIPHER_MODE_CBC)
                                 ",cbc"
#endif
#if defined(MBEDTLS_RSA_C)
                                 ",rsa"
#endif
#if defined(MBEDTLS_ECDSA_C)
                                 ",ecdsa"
#endif
#if defined(MBEDTLS_SSL_EXTENDED_MASTER_SECRET)
                                 ",ems"
#endif
#if defined(MBEDTLS_SSL_ENCRYPT_THEN_MAC)
                                 ",etm"
#endif
#if defined(MBEDTLS_SSL_MAX_FRAGMENT_LENGTH)
                                 ",mfl"
#endif
#if defined(MBEDTLS_SSL_SESSION_TICKETS)
                                 ",tickets"
#endif
#if defined(MBEDTLS_SSL_RENEGOTIATION)
                                 ",renegotiation"
#endif
#if defined(MBEDTLS_SSL_SERVER_NAME_INDICATION)
                                 ",sni"
#endif
#if defined(MBEDTLS_AES_ALT)
                                 ",hw-crypto" /* the STM32 ALT drivers (hw images) */
#endif
#if defined(TLSRIG_LOG_COMPACT)
                                 ",log-compact" /* LOG_RECORDS (T_LOG_FORMAT 1), debug_wrap.c */
#endif
    ;

size_t cmd_hello(uint8_t *out, size_t cap)
{
    tlv_writer_t w;
    tlv_writer_init(&w, out, cap);
    tlv_put_u8(&w, T_STATUS, ST_OK);
    tlv_put_u16(&w, T_PROTO_VERSION, PROTO_VERSION);
    tlv_put_str(&w, T_AGENT_VERSION, TLSRIG_AGENT_VERSION);
    tlv_put_str(&w, T_BOARD, port_board_name());

    uint8_t uid[12];
    char uid_hex[25];
    port_device_uid(uid);
    for (size_t i = 0; i < sizeof uid; i++) {
        (void)snprintf(uid_hex + 2 * i, 3, "%02x", uid[i]);
    }
    tlv_put_str(&w, T_DEVICE_UID, uid_hex);
    tlv_put_str(&w, T_BACKEND, TLSRIG_BACKEND);
    tlv_put_str(&w, T_MBEDTLS_VERSION, MBEDTLS_VERSION_STRING);
    tlv_put_str(&w, T_CONFIG_PROFILE, TLSRIG_CONFIG_PROFILE);
    tlv_put_str(&w, T_BUILD_ID, TLSRIG_BUILD_ID);
    tlv_put_u32(&w, T_HEAP_SIZE, (uint32_t)tls_platform_heap_size());
    tlv_put_u32(&w, T_SESSION_EPOCH, agent_session_epoch());
    tlv_put_u32(&w, T_UPTIME_MS, agent_uptime_ms());

    uint16_t ids[160];
    size_t n = 0;
    for (const int *s = mbedtls_ssl_list_ciphersuites(); *s != 0 && n < 160; s++) {
        ids[n++] = (uint16_t)*s;
    }
    tlv_put_u16_array(&w, T_CAP_SUITES, ids, n);
    n = 0;
    for (const mbedtls_ecp_curve_info *c = mbedtls_ecp_curve_list();
         c->grp_id != MBEDTLS_ECP_DP_NONE && n < 160; c++) {
        ids[n++] = c->tls_id;
    }
    tlv_put_u16_array(&w, T_CAP_GROUPS, ids, n);
    char features[sizeof k_features + 64];
    const char *board = port_features();
    int fn = snprintf(features, sizeof features, "%s%s%s", k_features, board[0] ? "," : "", board);
    tlv_put_str(&w, T_CAP_FEATURES, fn > 0 && (size_t)fn < sizeof features ? features : k_features);
    hello_put_board_facts(&w);
    return w.overflow ? 0 : w.len;
}
