/* libFuzzer target: the ClientHello inspector and the policy on any bytes,
 * as the live server sees them before mbedTLS. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clienthello.h"
#include "policy.h"
#include "profile_load.h"
#include "server_view.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What the live server hands mbedTLS must be the same hello in one record. */
static void check_reframe(const uint8_t *data, size_t size, const clienthello_t *ch)
{
    if (!ch->in_records)
        return;
    uint8_t *out = malloc(size + 5);
    size_t n = out ? clienthello_reframe(data, size, ch, out, size + 5) : 0;
    if (n > size + 5)
        abort();
    if (n) {
        clienthello_t *again = calloc(1, sizeof *again);
        char err[256];
        if (!again || clienthello_parse(out, n, again, err, sizeof err) != 0 ||
            again->n_records != 1 || again->raw_len != ch->raw_len ||
            memcmp(again->raw, ch->raw, ch->raw_len) != 0)
            abort();
        clienthello_free(again);
        free(again);
    }
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static server_profile_t plain, strict;
    static int ready;
    if (!ready) {
        profile_defaults(&plain);
        profile_defaults(&strict);
        strict.min_version = strict.max_version = 0x0304;
        snprintf(strict.sni_allow[0], PROFILE_HOST_LEN, "localhost");
        strict.n_sni_allow = 1;
        strict.ems_required = true;
        strict.n_chains = 0;
        /* issue 17: TLS 1.3 without HelloRetryRequest. */
        strict.on_no_key_share = (reaction_t){REACT_ALERT, 40};
        ready = 1;
    }
    int need = clienthello_need(data, size);
    if (need > CH_MAX_FLIGHT)
        abort(); /* the server's buffer bound would be wrong */
    clienthello_t *ch = calloc(1, sizeof *ch);
    char err[256];
    int rc = clienthello_parse(data, size, ch, err, sizeof err);
    if (rc == 0) {
        json_t *j = clienthello_to_json(ch);
        char *s = json_dumps(j, 0);
        if (!s)
            abort(); /* every parsed hello must be representable */
        free(s);
        json_decref(j);
        policy_decision_t d;
        policy_decide(&plain, ch, &d);
        json_decref(policy_decision_to_json(&d));
        policy_decide(&strict, ch, &d);
        policy_live_caps_t caps = {.tls13 = true};
        policy_live_limits_caps(&strict, ch, &d, &caps);
        if (d.hello_retry && (d.reaction.kind != REACT_CONTINUE || d.version != 0x0304))
            abort(); /* HRR only on an accepted TLS 1.3 hello */
        server_view_t v;
        server_view_init(&v);
        server_view_set_clienthello(&v, ch);
        policy_live_limits(&plain, ch, &d);
        check_reframe(data, size, ch);
    } else {
        (void)clienthello_alert_for(rc);
    }
    clienthello_free(ch);
    free(ch);
    return 0;
}
