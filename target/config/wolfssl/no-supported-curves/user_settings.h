/*
 * wolfSSL 5.7.2 user settings, profile "no-supported-curves": "full" without
 * HAVE_SUPPORTED_CURVES, the field build behind the Gmail case: a client offering ECDHE
 * suites without the supported_groups extension. A server that then assumes no curve in
 * common (smtp.gmail.com in 2016, the gmail-smtp-2016 server profile) answers alert 40
 * handshake_failure, which wolfSSL reports as -313 FATAL_ERROR "received alert fatal error".
 * TLS 1.3 needs supported_groups (key_share), so this build is TLS 1.2 only, as the
 * field's was.
 */
#ifndef TLSRIG_WOLFSSL_USER_SETTINGS_NO_SUPPORTED_CURVES_H
#define TLSRIG_WOLFSSL_USER_SETTINGS_NO_SUPPORTED_CURVES_H

#include "../full/user_settings.h"

#undef HAVE_SUPPORTED_CURVES
#undef WOLFSSL_TLS13
#undef HAVE_HKDF
/* x25519 without supported_groups: wolfSSL's ECC key exchange on TLS 1.2 still works on the
 * default curve (secp256r1). */
#undef HAVE_CURVE25519
/* wolfSSL's default: no static RSA key exchange (`full` turns it on for the happy matrix). */
#undef WOLFSSL_STATIC_RSA

#endif
