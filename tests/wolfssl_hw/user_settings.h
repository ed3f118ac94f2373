/*
 * wolfCrypt for the wolfSSL hw device test: AES (ECB, CBC, GCM), SHA-1, SHA-256, HMAC and the
 * Hash_DRBG only, then the hw image fragment. Nothing of TLS, X.509 or public-key crypto.
 */
#ifndef TLSRIG_WOLF_HWTEST_USER_SETTINGS_H
#define TLSRIG_WOLF_HWTEST_USER_SETTINGS_H

#define SINGLE_THREADED
#define NO_FILESYSTEM
#define NO_WRITEV
#define WOLFCRYPT_ONLY
#define WOLFSSL_IGNORE_FILE_WARN

#define NO_RSA
#define NO_DH
#define NO_DSA
#define NO_MD4
#define NO_MD5
#define NO_DES3
#define NO_RC4
#define NO_PWDBASED
#define NO_ASN
#define NO_CERTS
#define NO_CODING
#define NO_SIG_WRAPPER
#define NO_OLD_TLS
#define WC_NO_HARDEN /* no big-number code here to harden */

#define HAVE_AESGCM
#define HAVE_AES_CBC
#define HAVE_AES_DECRYPT
#define HAVE_HASHDRBG

#include "tlsrig_wolf_hw_settings.h"

#endif
