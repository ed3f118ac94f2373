/* The verdict catalogue: id, what it means, and the fix (mbedTLS first, wolfSSL where obvious).
 * docs/diagnosis.md describes the same entries with their evidence. */
#include "diagnose.h"

#include <string.h>

static const struct {
    const char *id;
    const char *meaning;
    const char *fix;
} catalogue[] = {
    {"handshake-ok", "The TLS handshake completed.", "Nothing to fix."},
    {"missing-supported-groups",
     "The client offered ECDHE cipher suites without a supported_groups (elliptic curves) "
     "extension; strict servers then have no curve they may use and refuse with "
     "handshake_failure (alert 40).",
     "Enable MBEDTLS_ECP_C with the curves (MBEDTLS_ECP_DP_SECP256R1_ENABLED) so mbedTLS sends "
     "supported_groups; set them with mbedtls_ssl_conf_curves() (2.x) or "
     "mbedtls_ssl_conf_groups() (3.x). wolfSSL: wolfSSL_UseSupportedCurve()."},
    {"no-shared-ciphersuite",
     "The server shares none of the cipher suites the client offered and refused the "
     "handshake (alert 40, or a reset/close on some servers).",
     "Offer a suite the server accepts, e.g. TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256: enable "
     "MBEDTLS_KEY_EXCHANGE_ECDHE_RSA_ENABLED, MBEDTLS_GCM_C and check "
     "mbedtls_ssl_conf_ciphersuites(). wolfSSL: wolfSSL_CTX_set_cipher_list()."},
    {"sni-rejected",
     "The server does not serve the host name the client sent in SNI (alert 112 "
     "unrecognized_name, or 40 on some front ends).",
     "Pass the server's real DNS name to mbedtls_ssl_set_hostname(). wolfSSL: wolfSSL_UseSNI()."},
    {"sni-required",
     "The client sent no SNI (server_name) and the server needs it to pick a certificate or "
     "refuses connections without it.",
     "Call mbedtls_ssl_set_hostname(&ssl, \"host.example\") before the handshake (needs "
     "MBEDTLS_SSL_SERVER_NAME_INDICATION). wolfSSL: wolfSSL_UseSNI()."},
    {"hostname-not-set",
     "mbedTLS 3.6.3+ refuses to verify a server certificate when no expected host name was set "
     "(MBEDTLS_ERR_SSL_CERTIFICATE_VERIFICATION_WITHOUT_HOSTNAME).",
     "Call mbedtls_ssl_set_hostname() with the server name (or with NULL explicitly to opt "
     "out of the host name check)."},
    {"sha1-not-supported",
     "A certificate in the chain is signed with SHA-1 and this build has no SHA-1, so it cannot "
     "be parsed or verified (X509 UNKNOWN_SIG_ALG, -0x262E).",
     "Enable MBEDTLS_SHA1_C (and, for verification, allow SHA-1 in the X.509 profile with "
     "mbedtls_ssl_conf_cert_profile()), or have the server use a SHA-256 chain."},
    {"cert-bad-signature-hash",
     "The certificate's signature hash or key is not allowed by the X.509 verification profile "
     "(flag BADCERT_BAD_MD / BAD_PK / BAD_KEY).",
     "Use a certificate signed with SHA-256 or better, or widen the profile with "
     "mbedtls_ssl_conf_cert_profile() (e.g. mbedtls_x509_crt_profile_default)."},
    {"mpi-too-small",
     "A key or DH value is larger than MBEDTLS_MPI_MAX_SIZE allows (e.g. an RSA-4096 server "
     "key with MBEDTLS_MPI_MAX_SIZE 256), so parsing it fails.",
     "Raise MBEDTLS_MPI_MAX_SIZE to 512 (4096-bit) in the mbedTLS config, or use an RSA-2048 "
     "or ECDSA server certificate."},
    {"record-too-large",
     "The server sent a record (usually the certificate chain) larger than the client's input "
     "buffer (-0x7200 up to 2.17, -0x7100 from 2.18: requesting more data than fits).",
     "Raise MBEDTLS_SSL_IN_CONTENT_LEN (MBEDTLS_SSL_MAX_CONTENT_LEN) to 16384, or negotiate "
     "max_fragment_length (MBEDTLS_SSL_MAX_FRAGMENT_LENGTH, mbedtls_ssl_conf_max_frag_len()) "
     "if the server supports it; shorten the chain. wolfSSL: wolfSSL_UseMaxFragment()."},
    {"hs-fragmentation-unsupported",
     "A handshake message was split across several records; mbedTLS before 3.6.3 does not "
     "reassemble that in TLS 1.2 (MBEDTLS_ERR_SSL_FEATURE_UNAVAILABLE -0x7080).",
     "Upgrade to mbedTLS 3.6.3 or later, or make the server send whole handshake messages per "
     "record (larger server record size)."},
    {"cert-not-yet-valid",
     "The server certificate's validity starts after the device's current time "
     "(BADCERT_FUTURE).",
     "Check the device clock (SNTP before TLS) and the certificate's notBefore."},
    {"clock-not-set",
     "The device's clock is at or near 0 (1970), so every certificate looks not yet valid.",
     "Set the time (SNTP/RTC) before the handshake; if the device has no clock, build without "
     "MBEDTLS_HAVE_TIME_DATE so dates are not checked."},
    {"cert-expired", "The server certificate (or one in its chain) has expired (BADCERT_EXPIRED).",
     "Renew the server certificate, or fix a device clock that runs ahead."},
    {"unknown-ca",
     "The server's chain does not lead to a CA the client trusts (BADCERT_NOT_TRUSTED, or the "
     "client sent alert 48 unknown_ca).",
     "Load the right root CA with mbedtls_ssl_conf_ca_chain() (the root of the server's chain, "
     "e.g. the current ISRG/DigiCert root). wolfSSL: wolfSSL_CTX_load_verify_buffer()."},
    {"hostname-mismatch",
     "The certificate's CN/subjectAltName does not match the host name the client expects "
     "(BADCERT_CN_MISMATCH).",
     "Pass the name in the certificate to mbedtls_ssl_set_hostname(), or fix the certificate's "
     "subjectAltName."},
    {"protocol-version",
     "Client and server share no TLS version (alert 70 protocol_version or "
     "BAD_HS_PROTOCOL_VERSION).",
     "Allow the server's version: mbedtls_ssl_conf_min_version()/max_version() (2.x) or "
     "mbedtls_ssl_conf_min_tls_version() (3.x); enable MBEDTLS_SSL_PROTO_TLS1_2 / "
     "MBEDTLS_SSL_PROTO_TLS1_3."},
    {"client-cert-required",
     "The server asked for a client certificate and the client sent none (or one it rejects).",
     "Configure the device certificate and key with mbedtls_ssl_conf_own_cert(). wolfSSL: "
     "wolfSSL_CTX_use_certificate_buffer()."},
    {"signature-algorithm-mismatch",
     "The server signed with an algorithm the client did not enable (e.g. a TLS 1.2 server "
     "choosing RSA-PSS or SHA-512 that the client then rejects).",
     "Enable the algorithm (MBEDTLS_X509_RSASSA_PSS_SUPPORT, MBEDTLS_PKCS1_V21, "
     "MBEDTLS_SHA512_C) or restrict what the client offers with mbedtls_ssl_conf_sig_hashes() "
     "(2.x) / mbedtls_ssl_conf_sig_algs() (3.x)."},
    {"curve-not-supported", "The server chose an elliptic curve the client cannot use.",
     "Enable the curve (MBEDTLS_ECP_DP_SECP384R1_ENABLED etc.) and list it in "
     "mbedtls_ssl_conf_curves()/mbedtls_ssl_conf_groups()."},
    {"heap-exhausted",
     "An allocation failed during the handshake (ALLOC_FAILED): the heap is too small for the "
     "buffers and the certificate chain.",
     "Enlarge the heap (mbedtls_memory_buffer_alloc_init buffer), reduce "
     "MBEDTLS_SSL_IN_CONTENT_LEN/OUT_CONTENT_LEN, enable MBEDTLS_SSL_VARIABLE_BUFFER_LENGTH."},
    {"no-entropy", "The random generator could not be seeded (entropy source failure).",
     "Register a hardware entropy source (MBEDTLS_ENTROPY_HARDWARE_ALT, "
     "mbedtls_hardware_poll() on the RNG peripheral) and check its clock is enabled."},
    {"timeout",
     "The client gave up waiting for the server (MBEDTLS_ERR_SSL_TIMEOUT): the server was "
     "silent or too slow.",
     "Check the server side (it may silently drop the hello) and raise the read timeout with "
     "mbedtls_ssl_conf_read_timeout()."},
    {"connection-reset",
     "The server reset the TCP connection (MBEDTLS_ERR_NET_CONN_RESET, -0x0050). Some servers "
     "do this instead of sending an alert when they refuse the ClientHello.",
     "Capture the server side or a pcap to see what it refused; compare the ClientHello with "
     "what the server requires (suites, SNI, groups)."},
    {"peer-closed",
     "The server closed the connection without an alert (EOF, MBEDTLS_ERR_SSL_CONN_EOF).",
     "Capture the server side; an orderly close after the ClientHello is usually a refusal of "
     "its content (suites, SNI, version)."},
    {"link-error",
     "The rig's link to the device reported errors during the run: an infrastructure problem, "
     "not a TLS failure.",
     "Check the cable/port and baud rate, then rerun."},
    {"hw-crypto-divergence",
     "A hardware crypto driver (MBEDTLS_*_ALT) produced a result different from the software "
     "implementation.",
     "Disable the ALT driver for that primitive and report the divergence with the test "
     "vector."},
    {"undetermined", "The evidence does not single out one cause.",
     "See the ranked candidates and what would decide."},
};

size_t diagnose_verdict_count(void)
{
    return sizeof catalogue / sizeof catalogue[0];
}

const char *diagnose_verdict_id(size_t i)
{
    return i < diagnose_verdict_count() ? catalogue[i].id : NULL;
}

static size_t find(const char *id)
{
    for (size_t i = 0; id && i < diagnose_verdict_count(); i++) {
        if (strcmp(catalogue[i].id, id) == 0)
            return i;
    }
    return diagnose_verdict_count() - 1;
}

const char *diagnose_verdict_meaning(const char *id)
{
    return catalogue[find(id)].meaning;
}

const char *diagnose_verdict_fix(const char *id)
{
    return catalogue[find(id)].fix;
}
