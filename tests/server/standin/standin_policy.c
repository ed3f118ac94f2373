/* TEMPORARY stand-ins for the other helpers' code (minimal, for my tests). */
#include <mbedtls/certs.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "policy.h"
#include "profile_load.h"

#ifdef TLSRIG_STANDIN_POLICY
int policy_decide(const server_profile_t *p, const clienthello_t *ch, policy_decision_t *out)
{
    (void)ch; // stand-in
    memset(out, 0, sizeof *out);
    if (p->n_sni_allow > 0) {
        out->reaction = p->on_sni_missing;
        snprintf(out->reason, sizeof out->reason, "stand-in: SNI");
    }
    return 0;
}

#endif

#ifdef TLSRIG_STANDIN_PROFILE_LOAD
int profile_load(const char *dir, const char *name, server_profile_t *p, char *err, size_t errlen)
{
    (void)dir;
    if (strcmp(name, "default") != 0) {
        snprintf(err, errlen, "stand-in: unknown profile %s", name);
        return -1;
    }
    memset(p, 0, sizeof *p);
    snprintf(p->name, sizeof p->name, "default");
    return 0;
}
#endif
