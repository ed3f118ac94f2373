/* server_warm: the chains and keys of a run's profiles loaded ahead, each once, so the
 * servers that come after parse nothing; what does not load is left for them to report. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain_cache.h"
#include "key_cache.h"
#include "server_test_util.h"
#include "server_warm.h"

static void clear(void)
{
    chain_cache_clear();
    key_cache_clear();
}

TestSuite(server_warm, .init = clear, .fini = clear);

/* What stu_start's servers use (server_test_util.c). */
static void recipes_and_cache(char *recipes, size_t rcap, char *cache, size_t ccap)
{
    const char *src = getenv("TLSRIG_SOURCE_DIR"), *build = getenv("TLSRIG_BUILD_DIR");
    cr_assert(src && build, "TLSRIG_SOURCE_DIR and TLSRIG_BUILD_DIR are set by ctest");
    snprintf(recipes, rcap, "%s/fixtures/certs/recipes.yaml", src);
    snprintf(cache, ccap, "%s/server-test-certs", build);
}

Test(server_warm, servers_after_it_parse_nothing)
{
    server_profile_t a, b;
    stu_default_profile(&a);
    stu_default_profile(&b);
    snprintf(b.chains[0], sizeof b.chains[0], "ecdsa-p256");
    snprintf(b.chains[1], sizeof b.chains[1], "rsa2048"); /* shared with a: loaded once */
    b.n_chains = 2;
    const server_profile_t *profiles[] = {&a, &b, &a};
    char recipes[1024], cache[1024];
    recipes_and_cache(recipes, sizeof recipes, cache, sizeof cache);
    unsigned long chains0 = chain_cache_parses(), keys0 = key_cache_parses();
    server_warm_t *w = server_warm_start(profiles, 3, recipes, cache);
    cr_assert_not_null(w);
    server_warm_finish(w);
    unsigned long chains1 = chain_cache_parses(), keys1 = key_cache_parses();
    /* rsa2048 (a's, and b's second) and ecdsa-p256: two chains, each parsed once */
    cr_expect_eq(chains1 - chains0, 2);
    cr_expect_eq(keys1 - keys0, 2);
    tls_server_t *s = stu_start(&b, NULL);
    tls_server_stop(s);
    s = stu_start(&a, NULL);
    tls_server_stop(s);
    cr_expect_eq(chain_cache_parses(), chains1, "a server parsed a chain again");
    cr_expect_eq(key_cache_parses(), keys1, "a server parsed a key again");
}

Test(server_warm, nothing_to_load_and_a_missing_chain_start_nothing_or_fail_quietly)
{
    char recipes[1024], cache[1024];
    recipes_and_cache(recipes, sizeof recipes, cache, sizeof cache);
    cr_expect_null(server_warm_start(NULL, 0, recipes, cache));
    server_profile_t p;
    stu_default_profile(&p);
    snprintf(p.chains[0], sizeof p.chains[0], "no-such-chain");
    p.n_chains = 1;
    const server_profile_t *profiles[] = {&p};
    unsigned long keys0 = key_cache_parses();
    server_warm_t *w = server_warm_start(profiles, 1, recipes, cache);
    cr_assert_not_null(w);
    server_warm_finish(w); /* the recipe is unknown: nothing loaded, nothing crashed */
    cr_expect_eq(key_cache_parses(), keys0);
    server_warm_finish(NULL);
}
