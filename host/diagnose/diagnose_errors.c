/* mbedTLS error codes by version: the same number means different things across releases
 * (3.0 renamed and reused several SSL codes), so names are looked up with a version range.
 * Versions are numbers: 2.28.3 -> 22803. Values checked against 2.28.3's headers and 3.6. */
#include "diagnose.h"

#include <stdio.h>
#include <string.h>

#define V2 20000
#define V2_MAX 29999
#define V3 30000
#define VMAX 99999

static const struct {
    int code;
    int vmin, vmax;
    const char *name;
} errors[] = {
    /* SSL */
    {-0x7080, 0, VMAX, "MBEDTLS_ERR_SSL_FEATURE_UNAVAILABLE"},
    {-0x7100, 0, VMAX, "MBEDTLS_ERR_SSL_BAD_INPUT_DATA"},
    {-0x7180, 0, VMAX, "MBEDTLS_ERR_SSL_INVALID_MAC"},
    {-0x7200, 0, VMAX, "MBEDTLS_ERR_SSL_INVALID_RECORD"},
    {-0x7280, 0, VMAX, "MBEDTLS_ERR_SSL_CONN_EOF"},
    {-0x7300, 0, V2_MAX, "MBEDTLS_ERR_SSL_UNKNOWN_CIPHER"},
    {-0x7300, V3, VMAX, "MBEDTLS_ERR_SSL_DECODE_ERROR"},
    {-0x7380, 0, V2_MAX, "MBEDTLS_ERR_SSL_NO_CIPHER_CHOSEN"},
    {-0x7400, 0, VMAX, "MBEDTLS_ERR_SSL_NO_RNG"},
    {-0x7480, 0, VMAX, "MBEDTLS_ERR_SSL_NO_CLIENT_CERTIFICATE"},
    {-0x7500, 0, V2_MAX, "MBEDTLS_ERR_SSL_CERTIFICATE_TOO_LARGE"},
    {-0x7500, V3, VMAX, "MBEDTLS_ERR_SSL_UNSUPPORTED_EXTENSION"},
    {-0x7580, 0, V2_MAX, "MBEDTLS_ERR_SSL_CERTIFICATE_REQUIRED"},
    {-0x7580, V3, VMAX, "MBEDTLS_ERR_SSL_NO_APPLICATION_PROTOCOL"},
    {-0x7600, 0, VMAX, "MBEDTLS_ERR_SSL_PRIVATE_KEY_REQUIRED"},
    {-0x7680, 0, VMAX, "MBEDTLS_ERR_SSL_CA_CHAIN_REQUIRED"},
    {-0x7700, 0, VMAX, "MBEDTLS_ERR_SSL_UNEXPECTED_MESSAGE"},
    {-0x7780, 0, VMAX, "MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE"},
    {-0x7800, 0, V2_MAX, "MBEDTLS_ERR_SSL_PEER_VERIFY_FAILED"},
    {-0x7800, V3, VMAX, "MBEDTLS_ERR_SSL_UNRECOGNIZED_NAME"},
    {-0x7880, 0, VMAX, "MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY"},
    {-0x7900, 0, V2_MAX, "MBEDTLS_ERR_SSL_BAD_HS_CLIENT_HELLO"},
    {-0x7980, 0, V2_MAX, "MBEDTLS_ERR_SSL_BAD_HS_SERVER_HELLO"},
    {-0x7A00, 0, V2_MAX, "MBEDTLS_ERR_SSL_BAD_HS_CERTIFICATE"},
    {-0x7A00, V3, VMAX, "MBEDTLS_ERR_SSL_BAD_CERTIFICATE"},
    {-0x7A80, 0, V2_MAX, "MBEDTLS_ERR_SSL_BAD_HS_CERTIFICATE_REQUEST"},
    {-0x7B00, 0, V2_MAX, "MBEDTLS_ERR_SSL_BAD_HS_SERVER_KEY_EXCHANGE"},
    {-0x7B00, V3, VMAX, "MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET"},
    {-0x7B80, 0, V2_MAX, "MBEDTLS_ERR_SSL_BAD_HS_SERVER_HELLO_DONE"},
    {-0x7C00, 0, V2_MAX, "MBEDTLS_ERR_SSL_BAD_HS_CLIENT_KEY_EXCHANGE"},
    {-0x7D80, 0, V2_MAX, "MBEDTLS_ERR_SSL_BAD_HS_CERTIFICATE_VERIFY"},
    {-0x7E00, 0, V2_MAX, "MBEDTLS_ERR_SSL_BAD_HS_CHANGE_CIPHER_SPEC"},
    {-0x7E80, 0, V2_MAX, "MBEDTLS_ERR_SSL_BAD_HS_FINISHED"},
    {-0x7E80, V3, VMAX, "MBEDTLS_ERR_SSL_CACHE_ENTRY_NOT_FOUND"},
    {-0x7F00, 0, VMAX, "MBEDTLS_ERR_SSL_ALLOC_FAILED"},
    {-0x7F80, 0, V2_MAX, "MBEDTLS_ERR_SSL_HW_ACCEL_FAILED"},
    {-0x6E80, 0, V2_MAX, "MBEDTLS_ERR_SSL_BAD_HS_PROTOCOL_VERSION"},
    {-0x6E80, V3, VMAX, "MBEDTLS_ERR_SSL_BAD_PROTOCOL_VERSION"},
    {-0x6E00, 0, V2_MAX, "MBEDTLS_ERR_SSL_BAD_HS_NEW_SESSION_TICKET"},
    {-0x6E00, V3, VMAX, "MBEDTLS_ERR_SSL_HANDSHAKE_FAILURE"},
    {-0x6D00, 0, VMAX, "MBEDTLS_ERR_SSL_PK_TYPE_MISMATCH"},
    {-0x6C00, 0, VMAX, "MBEDTLS_ERR_SSL_INTERNAL_ERROR"},
    {-0x6A00, 0, VMAX, "MBEDTLS_ERR_SSL_BUFFER_TOO_SMALL"},
    {-0x6980, 0, V2_MAX, "MBEDTLS_ERR_SSL_NO_USABLE_CIPHERSUITE"},
    {-0x6900, 0, VMAX, "MBEDTLS_ERR_SSL_WANT_READ"},
    {-0x6880, 0, VMAX, "MBEDTLS_ERR_SSL_WANT_WRITE"},
    {-0x6800, 0, VMAX, "MBEDTLS_ERR_SSL_TIMEOUT"},
    {-0x6700, 0, VMAX, "MBEDTLS_ERR_SSL_UNEXPECTED_RECORD"},
    {-0x6600, 0, V2_MAX, "MBEDTLS_ERR_SSL_INVALID_VERIFY_HASH"},
    {-0x6600, V3, VMAX, "MBEDTLS_ERR_SSL_ILLEGAL_PARAMETER"},
    {-0x5E80, 0, VMAX, "MBEDTLS_ERR_SSL_BAD_CONFIG"},
    {-0x5D80, 30603, VMAX, "MBEDTLS_ERR_SSL_CERTIFICATE_VERIFICATION_WITHOUT_HOSTNAME"},
    /* X.509 */
    {-0x2080, 0, VMAX, "MBEDTLS_ERR_X509_FEATURE_UNAVAILABLE"},
    {-0x2100, 0, VMAX, "MBEDTLS_ERR_X509_UNKNOWN_OID"},
    {-0x2180, 0, VMAX, "MBEDTLS_ERR_X509_INVALID_FORMAT"},
    {-0x2200, 0, VMAX, "MBEDTLS_ERR_X509_INVALID_VERSION"},
    {-0x2280, 0, VMAX, "MBEDTLS_ERR_X509_INVALID_SERIAL"},
    {-0x2300, 0, VMAX, "MBEDTLS_ERR_X509_INVALID_ALG"},
    {-0x2380, 0, VMAX, "MBEDTLS_ERR_X509_INVALID_NAME"},
    {-0x2400, 0, VMAX, "MBEDTLS_ERR_X509_INVALID_DATE"},
    {-0x2480, 0, VMAX, "MBEDTLS_ERR_X509_INVALID_SIGNATURE"},
    {-0x2500, 0, VMAX, "MBEDTLS_ERR_X509_INVALID_EXTENSIONS"},
    {-0x2580, 0, VMAX, "MBEDTLS_ERR_X509_UNKNOWN_VERSION"},
    {-0x2600, 0, VMAX, "MBEDTLS_ERR_X509_UNKNOWN_SIG_ALG"},
    {-0x2680, 0, VMAX, "MBEDTLS_ERR_X509_SIG_MISMATCH"},
    {-0x2700, 0, VMAX, "MBEDTLS_ERR_X509_CERT_VERIFY_FAILED"},
    {-0x2780, 0, VMAX, "MBEDTLS_ERR_X509_CERT_UNKNOWN_FORMAT"},
    {-0x2800, 0, VMAX, "MBEDTLS_ERR_X509_BAD_INPUT_DATA"},
    {-0x2880, 0, VMAX, "MBEDTLS_ERR_X509_ALLOC_FAILED"},
    {-0x2980, 0, VMAX, "MBEDTLS_ERR_X509_BUFFER_TOO_SMALL"},
    {-0x3000, 0, VMAX, "MBEDTLS_ERR_X509_FATAL_ERROR"},
    /* PK, RSA, ECP */
    {-0x3F80, 0, VMAX, "MBEDTLS_ERR_PK_ALLOC_FAILED"},
    {-0x3F00, 0, VMAX, "MBEDTLS_ERR_PK_TYPE_MISMATCH"},
    {-0x3C80, 0, VMAX, "MBEDTLS_ERR_PK_UNKNOWN_PK_ALG"},
    {-0x3B00, 0, VMAX, "MBEDTLS_ERR_PK_INVALID_PUBKEY"},
    {-0x3A80, 0, VMAX, "MBEDTLS_ERR_PK_INVALID_ALG"},
    {-0x3A00, 0, VMAX, "MBEDTLS_ERR_PK_UNKNOWN_NAMED_CURVE"},
    {-0x3980, 0, VMAX, "MBEDTLS_ERR_PK_FEATURE_UNAVAILABLE"},
    {-0x4380, 0, VMAX, "MBEDTLS_ERR_RSA_VERIFY_FAILED"},
    {-0x4480, 0, VMAX, "MBEDTLS_ERR_RSA_RNG_FAILED"},
    {-0x4E80, 0, VMAX, "MBEDTLS_ERR_ECP_FEATURE_UNAVAILABLE"},
    {-0x4E00, 0, VMAX, "MBEDTLS_ERR_ECP_VERIFY_FAILED"},
    {-0x4D80, 0, VMAX, "MBEDTLS_ERR_ECP_ALLOC_FAILED"},
    {-0x4D00, 0, VMAX, "MBEDTLS_ERR_ECP_RANDOM_FAILED"},
    {-0x5080, 0, V2_MAX, "MBEDTLS_ERR_MD_FEATURE_UNAVAILABLE"},
    {-0x5180, 0, VMAX, "MBEDTLS_ERR_MD_ALLOC_FAILED"},
    {-0x6180, 0, VMAX, "MBEDTLS_ERR_CIPHER_ALLOC_FAILED"},
    /* low-level modules (may be the low part of a composite code) */
    {-0x002E, 0, VMAX, "MBEDTLS_ERR_OID_NOT_FOUND"},
    {-0x0002, 0, VMAX, "MBEDTLS_ERR_MPI_FILE_IO_ERROR"},
    {-0x0004, 0, VMAX, "MBEDTLS_ERR_MPI_BAD_INPUT_DATA"},
    {-0x0008, 0, VMAX, "MBEDTLS_ERR_MPI_BUFFER_TOO_SMALL"},
    {-0x0010, 0, VMAX, "MBEDTLS_ERR_MPI_ALLOC_FAILED"},
    {-0x0034, 0, VMAX, "MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED"},
    {-0x003C, 0, VMAX, "MBEDTLS_ERR_ENTROPY_SOURCE_FAILED"},
    {-0x003D, 0, VMAX, "MBEDTLS_ERR_ENTROPY_NO_STRONG_SOURCE"},
    {-0x0040, 0, VMAX, "MBEDTLS_ERR_ENTROPY_NO_SOURCES_DEFINED"},
    {-0x0044, 0, VMAX, "MBEDTLS_ERR_NET_CONNECT_FAILED"},
    {-0x004C, 0, VMAX, "MBEDTLS_ERR_NET_RECV_FAILED"},
    {-0x004E, 0, VMAX, "MBEDTLS_ERR_NET_SEND_FAILED"},
    {-0x0050, 0, VMAX, "MBEDTLS_ERR_NET_CONN_RESET"},
    {-0x0052, 0, VMAX, "MBEDTLS_ERR_NET_UNKNOWN_HOST"},
};

int diagnose_version_number(const char *version)
{
    int a = 0, b = 0, c = 0;
    if (!version || sscanf(version, "%d.%d.%d", &a, &b, &c) < 2 || a < 1 || a > 9 || b < 0 ||
        b > 99 || c < 0 || c > 99)
        return 0;
    return a * 10000 + b * 100 + c;
}

static const char *lookup(int code, int v)
{
    for (size_t i = 0; i < sizeof errors / sizeof errors[0]; i++) {
        if (errors[i].code == code && v >= errors[i].vmin && v <= errors[i].vmax)
            return errors[i].name;
    }
    return NULL;
}

const char *diagnose_error_name(int code, const char *version, char *buf, size_t cap)
{
    int v = diagnose_version_number(version);
    if (v == 0)
        v = 22800;
    if (!buf || cap == 0)
        return NULL;
    const char *whole = lookup(code, v);
    if (whole || code >= 0) {
        snprintf(buf, cap, "%s", whole ? whole : (code == 0 ? "OK" : "UNKNOWN"));
        return buf;
    }
    /* Composite: high-level part (bits 7..15) plus low-level part (bits 0..6). */
    int mag = -code;
    int high = -(mag & 0xFF80), low = -(mag & 0x7F);
    const char *h = high ? lookup(high, v) : NULL;
    const char *l = low ? lookup(low, v) : NULL;
    if (high && low)
        snprintf(buf, cap, "%s + %s", h ? h : "UNKNOWN", l ? l : "UNKNOWN");
    else
        snprintf(buf, cap, "%s", h ? h : l ? l : "UNKNOWN");
    return buf;
}
