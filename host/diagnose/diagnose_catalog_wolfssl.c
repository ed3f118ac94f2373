/* The verdict catalogue phrased for wolfSSL (issue 18 wolfdiag): fixes as its build options
 * (user_settings.h defines, ./configure switches) and API calls, and the meanings whose
 * catalogue text names mbedTLS codes. The verdict ids are the catalogue's
 * (diagnose_catalog.c); docs/diagnosis.md lists both. */
#include "diagnose.h"

#include <string.h>

/* Meanings whose catalogue text names mbedTLS codes, said in wolfSSL's terms. */
static const struct {
    const char *id;
    const char *meaning;
} wolfssl_meanings[] = {
    {"connection-reset",
     "The server reset the TCP connection (wolfio logs \"Connection reset\", wolfSSL fails with "
     "SOCKET_ERROR_E, -308). Some servers do this instead of sending an alert when they refuse "
     "the ClientHello."},
    {"peer-closed",
     "The server closed the connection without an alert (SOCKET_PEER_CLOSED_E, -397)."},
    {"cert-encoding-rejected",
     "wolfSSL could not parse the server's certificate (ASN_PARSE_E, -140, while processing its "
     "Certificate message). wolfSSL 5.7.2's default ASN.1 parser (WOLFSSL_ASN_TEMPLATE) refuses "
     "any parameter after an ecdsa-with-SHA* OID in Certificate.signatureAlgorithm "
     "(wolfcrypt/src/asn.c DecodeCertInternal: \"Parameters not allowed after ECDSA\"): the "
     "field case is an ECDSA-signed certificate written by mbedTLS 2.x's x509write, whose "
     "AlgorithmIdentifier carries a NULL (05 00) that RFC 5758 3.2 forbids. mbedTLS accepts "
     "it."},
    {"unknown-ca",
     "The server's chain does not lead to a CA the client trusts (ASN_NO_SIGNER_E, -188; the "
     "client sends alert 48 unknown_ca)."},
    {"cert-expired",
     "The server certificate (or one in its chain) has expired (ASN_AFTER_DATE_E, -151)."},
    {"cert-not-yet-valid",
     "The server certificate's validity starts after the device's current time "
     "(ASN_BEFORE_DATE_E, -150)."},
    {"hostname-mismatch",
     "The certificate's CN/subjectAltName does not match the host name the client checks "
     "(DOMAIN_NAME_MISMATCH, -322)."},
    {"heap-exhausted",
     "An allocation failed during the handshake (MEMORY_E -125 or MEMORY_ERROR -303): the heap "
     "is too small for the buffers and the certificate chain."},
    {"timeout", "The client gave up waiting for the server (WC_TIMEOUT_E, -107)."},
    {"record-protection",
     "A protected record did not verify: bad_record_mac (20) was sent or received, or wolfSSL's "
     "MAC/tag check failed (VERIFY_MAC_ERROR -305, DECRYPT_ERROR -312). The two sides encrypt "
     "or authenticate records differently."},
    {"sni-not-sent",
     "The client was given a server name, but its ClientHello carried no server_name extension: "
     "this wolfSSL build does not send SNI (HAVE_SNI undefined) or wolfSSL_UseSNI() was not "
     "called."},
};

static const struct {
    const char *id;
    const char *fix;
} wolfssl_fixes[] = {
    {"missing-supported-groups",
     "Build wolfSSL with supported curves: #define HAVE_SUPPORTED_CURVES (and "
     "HAVE_TLS_EXTENSIONS) in user_settings.h, or ./configure --enable-supportedcurves; "
     "wolfSSL then writes supported_groups for its ECC curves. Name the curves with "
     "wolfSSL_UseSupportedCurve(ssl, WOLFSSL_ECC_SECP256R1) (or wolfSSL_CTX_UseSupportedCurve) "
     "before wolfSSL_connect()."},
    {"no-shared-group",
     "Offer a curve the server accepts: wolfSSL_UseSupportedCurve(ssl, WOLFSSL_ECC_SECP256R1) "
     "(or WOLFSSL_ECC_X25519 with HAVE_CURVE25519), and build the curve in (HAVE_ECC with "
     "the default 256-bit curves, HAVE_ECC384 for P-384)."},
    {"tls13-no-key-share-group",
     "Send a key share for the server's group: wolfSSL_UseKeyShare(ssl, WOLFSSL_ECC_SECP256R1) "
     "(or wolfSSL_set_groups() with the server's group first), with the curve built in."},
    {"no-shared-ciphersuite",
     "Offer a suite the server accepts: wolfSSL_CTX_set_cipher_list(ctx, "
     "\"ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256\") and build its "
     "algorithms in (HAVE_ECC, HAVE_AESGCM; ./configure --enable-ecc --enable-aesgcm). A server "
     "with an RSA certificate needs ECDHE-RSA (or RSA) suites, not ECDSA ones only."},
    {"sni-required",
     "Send SNI: build wolfSSL with HAVE_SNI (user_settings.h, or ./configure --enable-sni) and "
     "call wolfSSL_UseSNI(ssl, WOLFSSL_SNI_HOST_NAME, host, (word16)strlen(host)) (or "
     "wolfSSL_CTX_UseSNI) before wolfSSL_connect()."},
    {"sni-not-sent",
     "Build wolfSSL with HAVE_SNI (user_settings.h, or ./configure --enable-sni) and call "
     "wolfSSL_UseSNI(ssl, WOLFSSL_SNI_HOST_NAME, host, (word16)strlen(host)) before "
     "wolfSSL_connect()."},
    {"sni-rejected",
     "Pass the server's real DNS name to wolfSSL_UseSNI(ssl, WOLFSSL_SNI_HOST_NAME, host, "
     "(word16)strlen(host))."},
    {"unknown-ca",
     "Load the root CA of the server's chain: wolfSSL_CTX_load_verify_buffer(ctx, ca, ca_len, "
     "WOLFSSL_FILETYPE_PEM) (or wolfSSL_CTX_load_verify_locations() with a file system) before "
     "wolfSSL_new(); wolfSSL fails with ASN_NO_SIGNER_E (-188) when no loaded CA signed the "
     "chain."},
    {"cert-encoding-rejected",
     "Re-issue the server certificate (and every ECDSA-signed CA certificate of its chain) "
     "without parameters after ecdsa-with-SHA256/384/512, as RFC 5758 3.2 wants (mbedTLS 3.x's "
     "x509write, OpenSSL and public CAs do; mbedTLS 2.x's x509write adds a NULL). "
     "WOLFSSL_NO_ASN_STRICT does not help: wolfSSL 5.7.2 checks this outside it. Last resort "
     "when the server cannot change: build wolfSSL with its original ASN.1 parser, "
     "WOLFSSL_ASN_ORIGINAL in user_settings.h (./configure --enable-asn=original), whose "
     "GetSigAlg() accepts a NULL there; it is the older, less strict code path."},
    {"hostname-mismatch",
     "Check the name the certificate carries: wolfSSL_check_domain_name(ssl, name) with the "
     "server's DNS name, or fix the certificate's subjectAltName (DOMAIN_NAME_MISMATCH, -322)."},
    {"cert-expired",
     "Renew the server certificate, or fix a device clock that runs ahead (wolfSSL checks "
     "dates with XTIME / the time callback: ASN_AFTER_DATE_E, -151)."},
    {"cert-not-yet-valid",
     "Set the device clock before the handshake (SNTP/RTC behind wolfSSL's XTIME); "
     "ASN_BEFORE_DATE_E (-150) means the certificate starts after the device's time."},
    {"clock-not-set",
     "Set the time (SNTP/RTC) before wolfSSL_connect(); a device without a clock can build "
     "with NO_ASN_TIME so dates are not checked."},
    {"protocol-version",
     "Allow the server's version: wolfSSLv23_client_method() (any) or wolfTLSv1_3_client_method() "
     "with WOLFSSL_TLS13 built in (./configure --enable-tls13); wolfSSL_SetMinVersion() for the "
     "lowest."},
    {"client-cert-required",
     "Configure the device certificate and key: wolfSSL_CTX_use_certificate_buffer() and "
     "wolfSSL_CTX_use_PrivateKey_buffer()."},
    {"record-too-large",
     "Negotiate a smaller record: wolfSSL_UseMaxFragment(ssl, WOLFSSL_MFL_2_12) with "
     "HAVE_MAX_FRAGMENT (./configure --enable-maxfragment), or give wolfSSL a full 16 KB input "
     "buffer (no WOLFSSL_STATIC_MEMORY pool smaller than a record)."},
    {"heap-exhausted",
     "Enlarge the heap (or the WOLFSSL_STATIC_MEMORY pool of wc_LoadStaticMemory()); "
     "MEMORY_E (-125) / MEMORY_ERROR (-303) is an allocation that failed. Smaller records "
     "(wolfSSL_UseMaxFragment) and SMALL_SESSION_CACHE reduce the need."},
    {"no-entropy",
     "Give wolfSSL a working seed: CUSTOM_RAND_GENERATE_SEED or wc_GenerateSeed() on the "
     "hardware RNG (RNG_FAILURE_E, -199, is a failed DRBG)."},
    {"timeout",
     "Check the server side (it may silently drop the hello) and the receive timeout of the "
     "I/O callback (wolfSSL_SSLSetIORecv) or socket."},
    {"connection-reset",
     "The server reset the connection (wolfio: Connection reset, SOCKET_ERROR_E -308): compare "
     "the ClientHello with what the server requires: suites (wolfSSL_CTX_set_cipher_list), SNI "
     "(wolfSSL_UseSNI, HAVE_SNI), curves (wolfSSL_UseSupportedCurve, HAVE_SUPPORTED_CURVES)."},
    {"peer-closed",
     "The server closed the connection (SOCKET_PEER_CLOSED_E, -397): capture the server side; "
     "an orderly close after the ClientHello is usually a refusal of its content (suites via "
     "wolfSSL_CTX_set_cipher_list, SNI via wolfSSL_UseSNI, curves via "
     "wolfSSL_UseSupportedCurve)."},
    {"record-protection",
     "Find which side computes the record protection wrongly (VERIFY_MAC_ERROR -305, alert "
     "20): run the same handshake with wolfSSL's software crypto (no crypto callback, "
     "WOLF_CRYPTO_CB off) and compare; then check the crypto callback of the primitive named."},
    {"curve-not-supported",
     "Build the server's curve in (HAVE_ECC384 for P-384, HAVE_CURVE25519 for X25519) and "
     "offer it with wolfSSL_UseSupportedCurve()."},
};

static const char *wolfssl_fix(const char *id)
{
    for (size_t i = 0; id && i < sizeof wolfssl_fixes / sizeof wolfssl_fixes[0]; i++) {
        if (strcmp(wolfssl_fixes[i].id, id) == 0)
            return wolfssl_fixes[i].fix;
    }
    return NULL;
}

const char *diagnose_verdict_meaning_for(const char *id, const char *stack)
{
    for (size_t i = 0; stack && strcmp(stack, "wolfssl") == 0 && id &&
                       i < sizeof wolfssl_meanings / sizeof wolfssl_meanings[0];
         i++) {
        if (strcmp(wolfssl_meanings[i].id, id) == 0)
            return wolfssl_meanings[i].meaning;
    }
    return diagnose_verdict_meaning(id);
}

bool diagnose_verdict_has_wolfssl_fix(const char *id)
{
    return wolfssl_fix(id) != NULL;
}

const char *diagnose_verdict_fix_for(const char *id, const char *stack)
{
    const char *w = stack && strcmp(stack, "wolfssl") == 0 ? wolfssl_fix(id) : NULL;
    return w ? w : diagnose_verdict_fix(id);
}
