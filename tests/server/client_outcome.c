/* Output patterns of OpenSSL 3.0 s_client and GnuTLS 3.7 gnutls-cli. */
#include "client_outcome.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server_test_util.h"

const char *outcome_name(outcome_kind_t k)
{
    static const char *n[] = {"ok", "alert", "reset", "close", "other"};
    return (unsigned)k < 5 ? n[k] : "?";
}

static void classify_openssl(const char *out, client_outcome_t *o)
{
    const char *p;
    if ((p = strstr(out, "SSL alert number "))) {
        o->kind = OUT_ALERT;
        o->alert = atoi(p + strlen("SSL alert number "));
    } else if ((p = strstr(out, ", Cipher is ")) && strncmp(p + 12, "(NONE)", 6) != 0) {
        o->kind = OUT_OK;
        sscanf(p + 12, "%127s", o->cipher);
    } else if (strstr(out, "errno=104") || strstr(out, "Connection reset")) {
        o->kind = OUT_RESET;
    } else if (strstr(out, "unexpected eof")) {
        o->kind = OUT_CLOSE;
    }
}

static void classify_gnutls(const char *out, client_outcome_t *o)
{
    const char *p;
    if ((p = strstr(out, "*** Received alert ["))) {
        o->kind = OUT_ALERT;
        o->alert = atoi(p + strlen("*** Received alert ["));
    } else if (strstr(out, "Handshake was completed")) {
        o->kind = OUT_OK;
        if ((p = strstr(out, "- Description: ")))
            sscanf(p + 15, "%127s", o->cipher);
    } else if (strstr(out, "Error in the pull function") ||
               strstr(out, "Error in the push function")) {
        o->kind = OUT_RESET;
    } else if (strstr(out, "non-properly terminated")) {
        o->kind = OUT_CLOSE;
    }
}

client_outcome_t client_run(client_tool_t tool, uint16_t port, const char *args)
{
    client_outcome_t o = {.kind = OUT_OTHER, .alert = -1};
    char *out =
        tool == TOOL_OPENSSL
            ? stu_run("openssl s_client -connect 127.0.0.1:%u %s </dev/null", port, args)
            : stu_run("gnutls-cli --insecure --port %u %s 127.0.0.1 </dev/null", port, args);
    if (tool == TOOL_OPENSSL)
        classify_openssl(out, &o);
    else
        classify_gnutls(out, &o);
    snprintf(o.output, sizeof o.output, "%s", out);
    free(out);
    return o;
}
