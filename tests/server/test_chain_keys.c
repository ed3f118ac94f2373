/* Certificate properties come from the certificate: the key type and curve
 * the policy uses are read from each chain's leaf, not guessed from the
 * chain's name. */
#include <criterion/criterion.h>
#include <string.h>

#include "chain_keys.h"
#include "hello_builder.h"
#include "policy.h"
#include "profile_load.h"

static char err[512];
static uint8_t buf[CH_MAX_FLIGHT];

Test(chain_keys, read_from_the_leaf_certificate)
{
    server_profile_t p;
    memset(&p, 0, sizeof p);
    static const char *const names[] = {"ecdsa-p384", "gfe-rsa", "ecdsa-p256"};
    for (size_t i = 0; i < 3; i++)
        snprintf(p.chains[i], sizeof p.chains[i], "%s", names[i]);
    p.n_chains = 3;
    cr_assert_eq(server_chain_keys(&p, NULL, NULL, err, sizeof err), 0, "%s", err);
    cr_assert(p.chain_keys[0].known && p.chain_keys[0].ecdsa);
    cr_assert_eq(p.chain_keys[0].curve, 0x0018, "P-384 from the certificate's key");
    cr_assert(p.chain_keys[1].known && !p.chain_keys[1].ecdsa);
    cr_assert_eq(p.chain_keys[2].curve, 0x0017);
    snprintf(p.chains[0], sizeof p.chains[0], "no-such-chain");
    cr_assert_eq(server_chain_keys(&p, NULL, NULL, err, sizeof err), -1);
    cr_assert(strstr(err, "no-such-chain") != NULL, "%s", err);
}

/* A chain whose name says ECDSA but whose certificate holds an RSA key gets
 * no ECDHE-ECDSA suite (the name used to decide). */
Test(chain_keys, policy_follows_the_certificate_not_the_name)
{
    server_profile_t p;
    cr_assert_eq(profile_load(NULL, "google-frontend", &p, err, sizeof err), 0, "%s", err);
    p.n_chains = 1;
    snprintf(p.chains[0], sizeof p.chains[0], "gfe-ecdsa-p256");
    p.chain_keys[0] = (chain_key_t){.known = true, .ecdsa = false};
    static const uint16_t ecdhe_ecdsa[] = {0xc02b};
    static const uint16_t groups[] = {0x0017};
    hello_spec_t spec = {.suites = ecdhe_ecdsa,
                         .n_suites = 1,
                         .sni = "www.google.com",
                         .groups = groups,
                         .n_groups = 1};
    size_t n = hb_hello(&spec, buf, sizeof buf);
    clienthello_t ch;
    cr_assert_eq(clienthello_parse(buf, n, &ch, err, sizeof err), 0, "%s", err);
    policy_decision_t d;
    policy_decide(&p, &ch, &d);
    cr_assert_eq(d.chosen_suite, 0, "an RSA certificate cannot serve ECDHE-ECDSA");
    p.chain_keys[0] = (chain_key_t){.known = true, .ecdsa = true, .curve = 0x0017};
    policy_decide(&p, &ch, &d);
    cr_assert_eq(d.chosen_suite, 0xc02b);
    clienthello_free(&ch);
}
