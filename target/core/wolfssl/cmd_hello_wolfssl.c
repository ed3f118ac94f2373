/* HELLO on the wolfssl stack: the same identity and capabilities as the mbedTLS images
 * (cmd_hello.c), with the stack (T_TLS_STACK "wolfssl"), wolfSSL's version and the build
 * options compiled in (T_TLS_OPTIONS) instead of T_MBEDTLS_VERSION. Features use the mbedTLS
 * images' names where they mean the same, so scenario `requires:` works on both stacks. */
#include <stdio.h>
#include <string.h>

#include "agent.h"
#include "build_info.h"
#include "commands.h"
#include "hello_board_facts.h"
#include "panic_record.h"
#include "port.h"
#include "proto.h"
#include "tls_platform.h"
#include "tlv.h"
#include "wolfssl_glue.h"

#include <wolfssl/version.h>

static const char k_features[] = "tls1.2"
                                 ",seed-in-request" /* T_SEED in HANDSHAKE (agent.c) */
#if defined(AGENT_ACK_DELAY_MS)
                                 ",ack-delay" /* the host may hold TUNNEL acks too (agent.c) */
#endif
#if defined(WOLFSSL_TLS13)
                                 ",tls1.3"
#endif
#if !defined(NO_SHA)
                                 ",sha1"
#endif
#if !defined(NO_SHA256)
                                 ",sha256"
#endif
#if defined(WOLFSSL_SHA512)
                                 ",sha512"
#endif
#if defined(HAVE_AESGCM)
                                 ",gcm"
#endif
#if defined(HAVE_CHACHA) && defined(HAVE_POLY1305)
                                 ",chachapoly"
#endif
#if defined(HAVE_AES_CBC)
                                 ",cbc"
#endif
#if !defined(NO_RSA)
                                 ",rsa"
#endif
#if defined(HAVE_ECC)
                                 ",ecdsa"
#endif
#if defined(HAVE_EXTENDED_MASTER)
                                 ",ems"
#endif
#if defined(HAVE_ENCRYPT_THEN_MAC)
                                 ",etm"
#endif
#if defined(HAVE_MAX_FRAGMENT)
                                 ",mfl"
#endif
#if defined(HAVE_SNI)
                                 ",sni"
#endif
#if defined(HAVE_SUPPORTED_CURVES)
                                 ",supported-groups"
#endif
    ;

/* The wolfSSL options that shape a handshake, by their own names. */
static const char k_options[] = "DEBUG_WOLFSSL"
#if defined(WOLFSSL_TLS13)
                                ",WOLFSSL_TLS13"
#endif
#if defined(NO_OLD_TLS)
                                ",NO_OLD_TLS"
#endif
#if defined(HAVE_TLS_EXTENSIONS)
                                ",HAVE_TLS_EXTENSIONS"
#endif
#if defined(HAVE_SUPPORTED_CURVES)
                                ",HAVE_SUPPORTED_CURVES"
#endif
#if defined(HAVE_SNI)
                                ",HAVE_SNI"
#endif
#if defined(HAVE_EXTENDED_MASTER)
                                ",HAVE_EXTENDED_MASTER"
#endif
#if defined(HAVE_ENCRYPT_THEN_MAC)
                                ",HAVE_ENCRYPT_THEN_MAC"
#endif
#if defined(HAVE_MAX_FRAGMENT)
                                ",HAVE_MAX_FRAGMENT"
#endif
#if defined(HAVE_AESGCM)
                                ",HAVE_AESGCM"
#endif
#if defined(HAVE_CHACHA)
                                ",HAVE_CHACHA"
#endif
#if defined(HAVE_ECC)
                                ",HAVE_ECC"
#endif
#if defined(HAVE_CURVE25519)
                                ",HAVE_CURVE25519"
#endif
#if defined(WOLFSSL_STATIC_RSA)
                                ",WOLFSSL_STATIC_RSA"
#endif
#if defined(WOLFSSL_SMALL_STACK)
                                ",WOLFSSL_SMALL_STACK"
#endif
#if defined(WOLF_CRYPTO_CB)
                                ",WOLF_CRYPTO_CB"
#endif
#if defined(SINGLE_THREADED)
                                ",SINGLE_THREADED"
#endif
#if defined(WOLFSSL_USER_IO)
                                ",WOLFSSL_USER_IO"
#endif
    ;

/* The suites compiled in, as IANA ids (wolfSSL's name table, in its order). */
static void put_suites(tlv_writer_t *w)
{
    uint16_t ids[160];
    size_t n = 0;
    for (int i = 0; n < 160; i++) {
        const char *name = wolfSSL_get_cipher_list(i);
        if (name == NULL) {
            break;
        }
        byte cs0 = 0, cs = 0;
        int flags = 0;
        if (wolfSSL_get_cipher_suite_from_name(name, &cs0, &cs, &flags) == 0) {
            ids[n++] = (uint16_t)((cs0 << 8) | cs);
        }
    }
    tlv_put_u16_array(w, T_CAP_SUITES, ids, n);
}

static void put_groups(tlv_writer_t *w)
{
    uint16_t ids[4];
    size_t n = 0;
#if defined(HAVE_ECC)
    ids[n++] = 23; /* secp256r1 */
#if defined(HAVE_ECC384) || !defined(ECC_USER_CURVES)
    ids[n++] = 24; /* secp384r1 */
#endif
#endif
#if defined(HAVE_CURVE25519)
    ids[n++] = 29; /* x25519 */
#endif
    tlv_put_u16_array(w, T_CAP_GROUPS, ids, n);
}

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
    tlv_put_str(&w, T_TLS_STACK, "wolfssl");
    tlv_put_str(&w, T_TLS_LIB_VERSION, LIBWOLFSSL_VERSION_STRING);
    tlv_put_str(&w, T_TLS_OPTIONS, k_options);
    tlv_put_str(&w, T_CONFIG_PROFILE, TLSRIG_CONFIG_PROFILE);
    tlv_put_str(&w, T_BUILD_ID, TLSRIG_BUILD_ID);
    tlv_put_u32(&w, T_HEAP_SIZE, (uint32_t)tls_platform_heap_size());
    tlv_put_u32(&w, T_SESSION_EPOCH, agent_session_epoch());
    tlv_put_u32(&w, T_UPTIME_MS, agent_uptime_ms());
    put_suites(&w);
    put_groups(&w);
    char features[sizeof k_features + 64];
    const char *board = port_features();
    int fn = snprintf(features, sizeof features, "%s%s%s", k_features, board[0] ? "," : "", board);
    tlv_put_str(&w, T_CAP_FEATURES, fn > 0 && (size_t)fn < sizeof features ? features : k_features);
    hello_put_board_facts(&w);
    return w.overflow ? 0 : w.len;
}
