/* rig-config/udev/60-tlsrig-stlink.rules grants access to exactly the USB ids
 * `tlsrig probes` recognises: a probe the rig lists but the rules forget would
 * be "Permission denied" on a fresh bench, and a rule for an id the rig
 * ignores is dead configuration. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe.h"

/* The idProduct values of the rules' usb lines, into pids; returns how many. */
static size_t rule_pids(uint16_t *pids, size_t cap, int *tty_rules)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/rig-config/udev/60-tlsrig-stlink.rules",
             getenv("TLSRIG_SOURCE_DIR"));
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "%s", path);
    char line[1024];
    size_t n = 0;
    *tty_rules = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#') {
            continue;
        }
        if (strstr(line, "SUBSYSTEM==\"tty\"") && strstr(line, "ID_MM_DEVICE_IGNORE}=\"1\"")) {
            (*tty_rules)++;
        }
        const char *p = strstr(line, "ATTR{idProduct}==\"");
        if (!p || !strstr(line, "ATTR{idVendor}==\"0483\"")) {
            continue;
        }
        cr_assert_lt(n, cap);
        pids[n++] = (uint16_t)strtoul(p + strlen("ATTR{idProduct}==\""), NULL, 16);
    }
    fclose(f);
    return n;
}

static bool contains(const uint16_t *v, size_t n, uint16_t x)
{
    for (size_t i = 0; i < n; i++) {
        if (v[i] == x) {
            return true;
        }
    }
    return false;
}

Test(udev_rules, name_exactly_the_ids_the_rig_lists)
{
    uint16_t known[32], rules[32];
    size_t nk = probe_known_pids(known, 32);
    cr_assert_leq(nk, 32);
    cr_assert_gt(nk, 0);
    int tty = 0;
    size_t nr = rule_pids(rules, 32, &tty);
    for (size_t i = 0; i < nk; i++) {
        cr_expect(contains(rules, nr, known[i]), "no udev rule for 0483:%04x", known[i]);
    }
    for (size_t i = 0; i < nr; i++) {
        cr_expect(contains(known, nk, rules[i]), "udev rule for 0483:%04x, which the rig ignores",
                  rules[i]);
    }
    cr_expect_eq(tty, 1, "one tty rule telling ModemManager to ignore the VCPs");
}
