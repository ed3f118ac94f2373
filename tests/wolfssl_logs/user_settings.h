/* wolfSSL 5.7.2 configuration of the log-recording test client (tests/wolfssl_logs): a TLS
 * client with its debug log on, like a device's build. RECORD_NO_CURVES gives the field's
 * build without HAVE_SUPPORTED_CURVES (TLS 1.2 only: TLS 1.3 needs the extension). */
#ifndef TLSRIG_RECORD_USER_SETTINGS_H
#define TLSRIG_RECORD_USER_SETTINGS_H

#define DEBUG_WOLFSSL
#define NO_WOLFSSL_SERVER
#define NO_FILESYSTEM
#define WOLFSSL_NO_ATOMICS
#define SINGLE_THREADED

#define HAVE_TLS_EXTENSIONS
#define HAVE_SNI
#define HAVE_EXTENDED_MASTER
#define HAVE_ENCRYPT_THEN_MAC
#ifndef RECORD_NO_CURVES
#define HAVE_SUPPORTED_CURVES
#define WOLFSSL_TLS13
#define HAVE_HKDF
#define WC_RSA_PSS
#endif

#define HAVE_ECC
#define ECC_TIMING_RESISTANT
#define HAVE_ECC384
#define HAVE_ECC521
#define WC_RSA_BLINDING
#define TFM_TIMING_RESISTANT
#define WOLFSSL_SP_MATH_ALL
#define HAVE_AESGCM
#define HAVE_HASHDRBG
#define WOLFSSL_SHA384
#define WOLFSSL_SHA512

#define NO_DH
#define NO_DSA
#define NO_DES3
#define NO_RC4
#define NO_MD4
#define NO_PSK
#define NO_OLD_TLS
#define NO_PWDBASED
#define WOLFSSL_NO_SHAKE128
#define WOLFSSL_NO_SHAKE256

#endif
