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
    {"no-shared-group",
     "The client sent supported_groups, but none of its named groups is one the server uses "
     "for the ECDHE suites both share; the server refuses (alert 40 handshake_failure).",
     "Enable a curve the server accepts (MBEDTLS_ECP_DP_SECP256R1_ENABLED, "
     "MBEDTLS_ECP_DP_CURVE25519_ENABLED) and list it in mbedtls_ssl_conf_curves() (2.x) / "
     "mbedtls_ssl_conf_groups() (3.x). wolfSSL: wolfSSL_UseSupportedCurve()."},
    /* issue 17 tls13: what TLS 1.3 introduces. */
    {"tls13-no-key-share-group",
     "TLS 1.3: none of the client's key shares is for a group the server uses, and no "
     "HelloRetryRequest could fix it (the server sends none, or the client's supported_groups "
     "holds no server group either, or the client's second hello still has no such share).",
     "Offer the server's group in mbedtls_ssl_conf_groups() (3.x) and enable it "
     "(MBEDTLS_ECP_DP_SECP256R1_ENABLED / MBEDTLS_ECP_DP_CURVE25519_ENABLED, or the PSA "
     "PSA_WANT_ECC_* of a PSA build); put the server's usual group first so the first key "
     "share fits. wolfSSL: wolfSSL_UseKeyShare()."},
    /* issue 17 psk13: resumption and downgrade protection. */
    {"tls13-psk-mode-mismatch",
     "TLS 1.3 resumption refused: the client offered its ticket with psk_key_exchange_modes "
     "that the server does not resume with (e.g. only psk_ke, PSK without (EC)DHE, where the "
     "server takes only psk_dhe_ke, as most do), so the ticket cannot be used; a client without "
     "a full-handshake fallback (no key share) fails, one with it makes a full handshake.",
     "Offer psk_dhe_ke: define MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK_EPHEMERAL_ENABLED and "
     "call mbedtls_ssl_conf_tls13_key_exchange_modes(conf, "
     "MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK_EPHEMERAL | "
     "MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_EPHEMERAL) (3.6; the ephemeral mode, "
     "MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_EPHEMERAL_ENABLED, keeps a full handshake possible "
     "when a ticket is refused). On a server of one's own: accept psk_ke too "
     "(MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK). wolfSSL: wolfSSL_no_dhe_psk() off."},
    {"tls13-downgrade-detected",
     "A TLS 1.3-capable client got a TLS 1.2 ServerHello whose random ends with the RFC 8446 "
     "4.1.3 downgrade sentinel (44 4F 57 4E 47 52 44 01): the server speaks TLS 1.3 but "
     "something between forced TLS 1.2 (a TLS 1.2-terminating middlebox, a misconfigured load "
     "balancer, an attack). mbedTLS 3.6 aborts with illegal_parameter (47), "
     "MBEDTLS_ERR_SSL_ILLEGAL_PARAMETER (-0x6600), as the RFC requires.",
     "Not a client setting to relax: find what terminates TLS 1.2 in front of the TLS 1.3 "
     "server (proxy, TLS-inspecting firewall, load balancer) and let TLS 1.3 through or "
     "terminate it there too. Capping the client with mbedtls_ssl_conf_max_tls_version("
     "conf, MBEDTLS_SSL_VERSION_TLS1_2) only hides the downgrade."},
    {"server-hello-altered",
     "The ServerHello was changed between server and client: the ServerKeyExchange signature, "
     "which covers both randoms, no longer verifies (the client sends decrypt_error, 51). A "
     "TLS 1.2-only client meeting a forged downgrade sentinel fails so; so does any middlebox "
     "that rewrites the hello.",
     "Find what rewrites the handshake between client and server (a proxy or TLS-inspecting "
     "middlebox) and take it out of the path; if nothing does, compare the server's key with "
     "its certificate. On the rig, the profile's downgrade_sentinel impairment does it on "
     "purpose."},
    {"missing-required-extension",
     "The server requires a ClientHello extension the client did not send (e.g. "
     "extended_master_secret).",
     "Enable the extension in the client (e.g. MBEDTLS_SSL_EXTENDED_MASTER_SECRET and "
     "mbedtls_ssl_conf_extended_master_secret())."},
    {"malformed-clienthello",
     "The server could not parse the ClientHello (a length or value does not fit, or the "
     "bytes are not a TLS handshake).",
     "Capture the ClientHello (pcap) and decode it; check the client's record layer and "
     "extension encoding."},
    {"sni-rejected",
     "The server does not serve the host name the client sent in SNI (alert 112 "
     "unrecognized_name, or 40 on some front ends).",
     "Pass the server's real DNS name to mbedtls_ssl_set_hostname(). wolfSSL: wolfSSL_UseSNI()."},
    {"sni-required",
     "The client sent no SNI (server_name) and the server needs it to pick a certificate or "
     "refuses connections without it.",
     "Call mbedtls_ssl_set_hostname(&ssl, \"host.example\") before the handshake (needs "
     "MBEDTLS_SSL_SERVER_NAME_INDICATION). wolfSSL: wolfSSL_UseSNI()."},
    {"sni-not-sent",
     "The client was given a server name (mbedtls_ssl_set_hostname()), but its ClientHello "
     "carried no server_name extension: this mbedTLS build does not send SNI "
     "(MBEDTLS_SSL_SERVER_NAME_INDICATION undefined). Servers that choose a certificate by name "
     "(CDNs, shared hosting, cloud front ends) refuse or misroute such a client.",
     "Define MBEDTLS_SSL_SERVER_NAME_INDICATION in the mbedTLS configuration; "
     "mbedtls_ssl_set_hostname() then also sends the name."},
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
    /* issue 18 wolfcert: a certificate the client's X.509 parser refuses outright. */
    {"cert-encoding-rejected",
     "The client could not parse the server's certificate: its DER breaks a rule the client's "
     "X.509 parser enforces, so the chain is refused before any verification. The field case: "
     "an ECDSA-signed certificate with a NULL parameter (05 00) after ecdsa-with-SHA256/384/512 "
     "in its signature AlgorithmIdentifier, as mbedTLS 2.x's x509write writes it; RFC 5758 3.2 "
     "says the parameters MUST be omitted. mbedTLS accepts the NULL, wolfSSL refuses it "
     "(ASN_PARSE_E, -140).",
     "Re-issue the certificate (and any ECDSA-signed CA certificate of its chain) with "
     "ecdsa-with-SHA* AlgorithmIdentifiers without parameters, as RFC 5758 3.2 wants "
     "(mbedTLS 3.x's x509write, OpenSSL and public CAs write them so; mbedTLS 2.x's x509write "
     "adds the NULL). mbedTLS clients accept either form; for other encoding errors "
     "mbedtls_x509_crt_parse_der() names the field (MBEDTLS_ERR_X509_INVALID_*)."},
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
    {"record-protection",
     "A protected record did not verify: bad_record_mac (20) or decryption_failed (21) was sent "
     "or received, or MAC/tag verification failed (MBEDTLS_ERR_SSL_INVALID_MAC, -0x7180). The "
     "two sides encrypt or authenticate records differently.",
     "Find which side computes the record protection wrongly: run the same handshake with the "
     "software crypto (no MBEDTLS_*_ALT) and compare; check the ALT driver of the primitive "
     "named (AES-GCM tag, CBC padding/HMAC), then the key derivation (EMS/ETM negotiated "
     "alike) and the path between the two record layers."},
    {"hw-crypto-divergence",
     "A hardware crypto driver (MBEDTLS_*_ALT) computes a result different from the software "
     "implementation: the software backend passed the same scenario, or the image's "
     "known-answer self-tests failed for the primitive.",
     "Disable the ALT driver for that primitive (e.g. undefine MBEDTLS_GCM_ALT) until it "
     "passes its known-answer tests; check the peripheral's key/IV/tag register handling and "
     "the final partial block."},
    {"key-schedule-mismatch",
     "The two sides derived different keys or nonces (PRF hash, extended master secret or "
     "encrypt-then-MAC negotiated differently, a wrong IV).",
     "Compare the negotiated extensions (EMS 23, ETM 22) on both sides and the PRF hash of the "
     "suite; log the key derivation at debug level 4 (mbedtls_debug_set_threshold(4))."},
    {"record-corruption",
     "Bytes changed between the two record layers (a faulty network path, a proxy, a buffer "
     "overrun in the device's network glue).",
     "Capture both ends (pcap) and compare the records; check the device's send/receive "
     "callbacks (mbedtls_ssl_set_bio) for partial writes and reused buffers."},
    {"server-bug", "The server computes or checks record protection wrongly.",
     "Try another server or client against the same server; report with a capture."},
    {"agent-crash",
     "The agent stopped during the run (the process exited or was killed, or the board reset): "
     "an infrastructure error, not a TLS outcome.",
     "Read the target's console log for the exit status or signal; run the scenario alone to "
     "reproduce, then debug the agent (gdb on the sim build)."},
    {"agent-hang",
     "The agent is alive but did not answer within the deadline: a hang or a deadlock in the "
     "firmware, or a link that stalls without errors.",
     "Attach a debugger and look at where the agent waits; raise the board's timeouts "
     "(rig-config/boards/B.yaml timeouts) only if the target is just slow."},
    {"hard-fault",
     "The firmware reported a CPU fault (HardFault, BusFault, MemManage, UsageFault): the "
     "decoded report and backtrace are in the console log.",
     "Read the decoded fault in the console log (cause, pc, backtrace); common causes are a "
     "stack overflow during the handshake (raise the stack) and unaligned or invalid pointers "
     "in a driver."},
    {"flash-error",
     "The image could not be put on or started on the target, or the target runs another "
     "build than the one the rig expected.",
     "Check the flasher (probe attached, image built: tlsrig build), then flash again "
     "(tlsrig flash --board B); the build id in the agent's HELLO must match the image."},
    {"link-error",
     "The rig's link to the device damaged or lost frames (CRC errors, resyncs, retries "
     "exhausted, or the link closed while the target ran): an infrastructure problem, not a "
     "TLS failure.",
     "Check the cable/port and baud rate (rig-config/boards/B.yaml link), then rerun."},
    {"host-error",
     "The rig's own side failed: the image did not build, the TLS server did not start, a "
     "file could not be read or written, or the agent refused a request the host built.",
     "Read the error text in the result (infra_error) and the build or console log it names; "
     "fix the host side and rerun."},
    {"selftest-passed", "Every crypto known-answer self-test of this image passed.",
     "Nothing to fix."},
    {"selftest-failed",
     "A crypto known-answer self-test of this image failed: the named primitive computes "
     "wrong results on this backend.",
     "Fix the ALT driver (or the peripheral) for the named primitive; until then build with the "
     "sw backend."},
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

const char *diagnose_selftest_verdict(bool all_passed)
{
    return all_passed ? "selftest-passed" : "selftest-failed";
}
