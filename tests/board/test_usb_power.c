/* The USB rungs (host/board/usb_power.c) under a umockdev testbed, changed
 * at run time through libumockdev: an ST-Link V2-1 on port 1 of hub 1-3 with
 * its VCP. A watcher thread plays the hub: it waits (inotify) for the port's
 * `disable` file to be written and removes the probe on "1" and adds it back
 * on "0" with its tty under another number. Faults: the probe stays on USB
 * (a hub that cannot switch), never comes back, comes back without its tty;
 * no hub configured (-2); a hub name without a port switch. Rediscovery: the
 * tty under another number, the probe gone. Must run under umockdev-wrapper
 * (LD_PRELOAD of libumockdev-preload); skips otherwise. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <umockdev.h>
#include <unistd.h>

#include "usb_power.h"

#define SERIAL "0669FF555052836687031234"
#define USB1 "/sys/devices/pci0000:00/0000:00:14.0/usb1"
#define PROBE USB1 "/1-3/1-3.1"

static const char k_hub[] =
    "P: /devices/pci0000:00/0000:00:14.0/usb1/1-3\n"
    "N: bus/usb/001/002\n"
    "E: DEVNAME=/dev/bus/usb/001/002\n"
    "E: DEVTYPE=usb_device\n"
    "E: DRIVER=usb\n"
    "E: SUBSYSTEM=usb\n"
    "A: busnum=1\n"
    "A: devnum=2\n"
    "A: idVendor=05e3\n"
    "A: idProduct=0608\n"
    "A: speed=480\n"
    "H: descriptors=1201000209000040E3050806000100000001090212000101008032090400000009000000\n"
    "\n"
    "P: /devices/pci0000:00/0000:00:14.0/usb1/1-3/1-3:1.0\n"
    "E: DEVTYPE=usb_interface\n"
    "E: DRIVER=hub\n"
    "E: SUBSYSTEM=usb\n"
    "A: bInterfaceNumber=00\n"
    "A: bInterfaceClass=09\n"
    "A: 1-3-port1/disable=0\n"
    "A: 1-3-port2/disable=0\n";

/* The probe with its VCP as ttyACM<n>. */
static char *probe_text(int tty)
{
    return g_strdup_printf(
        "P: /devices/pci0000:00/0000:00:14.0/usb1/1-3/1-3.1\n"
        "N: bus/usb/001/009\n"
        "E: DEVNAME=/dev/bus/usb/001/009\n"
        "E: DEVTYPE=usb_device\n"
        "E: DRIVER=usb\n"
        "E: SUBSYSTEM=usb\n"
        "A: busnum=1\n"
        "A: devnum=9\n"
        "A: idVendor=0483\n"
        "A: idProduct=374b\n"
        "A: serial=" SERIAL "\n"
        "A: speed=12\n"
        "H: descriptors=120100020000004083044B370001010203010902120001010080320904000000FFFFFF00\n"
        "\n"
        "P: /devices/pci0000:00/0000:00:14.0/usb1/1-3/1-3.1/1-3.1:1.2\n"
        "E: DEVTYPE=usb_interface\n"
        "E: DRIVER=cdc_acm\n"
        "E: SUBSYSTEM=usb\n"
        "A: bInterfaceNumber=02\n"
        "A: bInterfaceClass=02\n"
        "\n"
        "P: /devices/pci0000:00/0000:00:14.0/usb1/1-3/1-3.1/1-3.1:1.2/tty/ttyACM%d\n"
        "N: ttyACM%d\n"
        "E: DEVNAME=/dev/ttyACM%d\n"
        "E: SUBSYSTEM=tty\n"
        "L: device=../../../1-3.1:1.2\n",
        tty, tty, tty);
}

typedef enum hub_mode {
    HUB_SWITCHES,      /* removes the probe on "1", adds it back on "0" */
    HUB_CANNOT_SWITCH, /* the probe stays */
    HUB_PROBE_DIES,    /* removed on "1", never back */
    HUB_BACK_WITHOUT_TTY,
} hub_mode_t;

typedef struct hub {
    UMockdevTestbed *tb;
    hub_mode_t mode;
    int inotify;
    char disable[4096]; /* the real file behind the testbed's port 1 switch */
    int tty;            /* the tty number the probe has now */
    atomic_int writes;  /* "1"/"0" writes seen */
    char seen[8];       /* the values written, in order */
    pthread_t thread;
    int stop[2]; /* a pipe: closing its write end stops the thread */
} hub_t;

static hub_t g_hub;
static bool g_started;

static void add_probe(hub_t *h, int tty, bool with_tty)
{
    char *text = probe_text(tty);
    if (!with_tty) {
        *strstr(text, "\n\nP: /devices/pci0000:00/0000:00:14.0/usb1/1-3/1-3.1/1-3.1:1.2/tty") =
            '\0';
    }
    GError *e = NULL;
    cr_assert(umockdev_testbed_add_from_string(h->tb, text, &e), "%s", e ? e->message : "");
    g_free(text);
}

static void remove_probe(hub_t *h)
{
    char tty[256];
    snprintf(tty, sizeof tty, PROBE "/1-3.1:1.2/tty/ttyACM%d", h->tty);
    umockdev_testbed_remove_device(h->tb, tty);
    umockdev_testbed_remove_device(h->tb, PROBE "/1-3.1:1.2");
    umockdev_testbed_remove_device(h->tb, PROBE);
}

static void *hub_main(void *arg)
{
    hub_t *h = arg;
    for (;;) {
        struct pollfd p[2] = {{.fd = h->inotify, .events = POLLIN},
                              {.fd = h->stop[0], .events = POLLIN}};
        if (poll(p, 2, -1) < 0 && errno != EINTR) {
            return NULL;
        }
        if (p[1].revents) {
            return NULL;
        }
        char ev[4096];
        if (read(h->inotify, ev, sizeof ev) <= 0) {
            continue;
        }
        char v[8] = "";
        FILE *f = fopen(h->disable, "r");
        if (!f || !fgets(v, sizeof v, f)) {
            v[0] = '?';
        }
        if (f) {
            fclose(f);
        }
        int n = atomic_fetch_add(&h->writes, 1);
        if (n < (int)sizeof h->seen - 1) {
            h->seen[n] = v[0];
        }
        if (h->mode == HUB_CANNOT_SWITCH) {
            continue;
        }
        if (v[0] == '1') {
            remove_probe(h);
        } else if (v[0] == '0' && h->mode != HUB_PROBE_DIES) {
            h->tty += 3; /* back under another number */
            add_probe(h, h->tty, h->mode != HUB_BACK_WITHOUT_TTY);
        }
    }
}

static void setup(void)
{
    /* umockdev_in_mock_environment() answers false under umockdev-wrapper
     * 0.17.16 (measured): look for the preload library itself. */
    const char *preload = getenv("LD_PRELOAD");
    if (!preload || !strstr(preload, "umockdev-preload")) {
        cr_skip_test("not under umockdev-wrapper (Debian package umockdev)");
    }
    memset(&g_hub, 0, sizeof g_hub);
    g_hub.tb = umockdev_testbed_new();
    GError *e = NULL;
    cr_assert(umockdev_testbed_add_from_string(g_hub.tb, k_hub, &e), "%s", e ? e->message : "");
    g_hub.tty = 1;
    add_probe(&g_hub, 1, true);
    gchar *sys = umockdev_testbed_get_sys_dir(g_hub.tb);
    snprintf(g_hub.disable, sizeof g_hub.disable,
             "%s/devices/pci0000:00/0000:00:14.0/usb1/1-3/1-3:1.0/1-3-port1/disable", sys);
    g_free(sys);
    g_hub.inotify = inotify_init1(IN_CLOEXEC);
    cr_assert_geq(g_hub.inotify, 0);
    cr_assert_geq(inotify_add_watch(g_hub.inotify, g_hub.disable, IN_CLOSE_WRITE), 0, "%s: %s",
                  g_hub.disable, strerror(errno));
    cr_assert_eq(pipe(g_hub.stop), 0);
}

static void start_hub(hub_mode_t mode)
{
    g_hub.mode = mode;
    cr_assert_eq(pthread_create(&g_hub.thread, NULL, hub_main, &g_hub), 0);
    g_started = true;
}

static void teardown(void)
{
    if (g_started) {
        close(g_hub.stop[1]);
        pthread_join(g_hub.thread, NULL);
        g_started = false;
    }
    if (g_hub.tb) {
        g_object_unref(g_hub.tb);
    }
}

TestSuite(usb_power, .init = setup, .fini = teardown);

static board_usb_t g_usb = {
    .vid = 0x0483, .pid = 0x374b, .serial = SERIAL, .hub = "1-3", .port = 1};

static board_config_t board(uint32_t reenumerate_ms)
{
    return (board_config_t){
        .name = "bench", .usb = &g_usb, .timeouts = {.reenumerate_ms = reenumerate_ms}};
}

/* The value the port switch holds now. */
static char switch_value(void)
{
    char v[8] = "";
    FILE *f = fopen(g_hub.disable, "r");
    cr_assert_not_null(f);
    cr_assert_not_null(fgets(v, sizeof v, f));
    fclose(f);
    return v[0];
}

Test(usb_power, disable_path_follows_the_kernel_abi)
{
    char path[512], err[512];
    cr_assert_eq(usb_port_disable_path("1-3", 1, path, sizeof path, err, sizeof err), 0, "%s", err);
    cr_expect_str_eq(path, "/sys/bus/usb/devices/1-3:1.0/1-3-port1/disable");
    cr_expect_eq(usb_port_disable_path("1-3", 7, path, sizeof path, err, sizeof err), -1);
    cr_expect(strstr(err, "1-3-port7/disable") != NULL, "%s", err);
    cr_expect_eq(usb_port_disable_path("../x", 1, path, sizeof path, err, sizeof err), -1);
    cr_expect_eq(usb_port_disable_path("usb1", 2, path, sizeof path, err, sizeof err), -1);
    cr_expect(strstr(err, "/sys/bus/usb/devices/1-0:1.0/usb1-port2/disable") != NULL,
              "root hub naming: %s", err);
}

Test(usb_power, cycle_brings_the_probe_back_under_a_new_tty)
{
    start_hub(HUB_SWITCHES);
    board_config_t b = board(5000);
    char port[256], why[512];
    cr_expect_eq(usb_power_cycle(&b, port, sizeof port, why, sizeof why), 0, "%s", why);
    cr_expect_str_eq(port, "/dev/ttyACM4", "%s", why);
    cr_expect_eq(atomic_load(&g_hub.writes), 2);
    cr_expect_str_eq(g_hub.seen, "10", "off, then on");
    cr_expect_eq(switch_value(), '0');
}

Test(usb_power, a_hub_that_cannot_switch_is_a_failure_and_the_port_is_on_again)
{
    start_hub(HUB_CANNOT_SWITCH);
    board_config_t b = board(300);
    char port[256], why[512];
    cr_expect_eq(usb_power_cycle(&b, port, sizeof port, why, sizeof why), -1);
    cr_expect(strstr(why, "stayed on USB") && strstr(why, SERIAL), "%s", why);
    cr_expect_eq(switch_value(), '0', "switched on again");
}

Test(usb_power, a_probe_that_never_comes_back_is_a_failure)
{
    start_hub(HUB_PROBE_DIES);
    board_config_t b = board(300);
    char port[256], why[512];
    cr_expect_eq(usb_power_cycle(&b, port, sizeof port, why, sizeof why), -1);
    cr_expect(strstr(why, "did not come back") != NULL, "%s", why);
    cr_expect_eq(switch_value(), '0');
}

Test(usb_power, back_without_its_tty_is_a_failure)
{
    start_hub(HUB_BACK_WITHOUT_TTY);
    board_config_t b = board(300);
    char port[256], why[512];
    cr_expect_eq(usb_power_cycle(&b, port, sizeof port, why, sizeof why), -1);
    cr_expect(strstr(why, "without its VCP") != NULL, "%s", why);
}

Test(usb_power, no_hub_configured_is_skipped)
{
    board_usb_t usb = {.serial = SERIAL};
    board_config_t b = {.name = "bench", .usb = &usb};
    char port[256], why[512];
    cr_expect_eq(usb_power_cycle(&b, port, sizeof port, why, sizeof why), -2);
    cr_expect(strstr(why, "usb.hub") != NULL, "%s", why);
    b.usb = NULL;
    cr_expect_eq(usb_power_cycle(&b, port, sizeof port, why, sizeof why), -2);
    cr_expect_eq(atomic_load(&g_hub.writes), 0);
}

Test(usb_power, a_hub_without_that_port_names_the_missing_file)
{
    board_usb_t usb = g_usb;
    usb.hub = "1-9";
    board_config_t b = {.name = "bench", .usb = &usb};
    char port[256], why[512];
    cr_expect_eq(usb_power_cycle(&b, port, sizeof port, why, sizeof why), -1);
    cr_expect(strstr(why, "/sys/bus/usb/devices/1-9:1.0/1-9-port1/disable") != NULL, "%s", why);
}

Test(usb_power, rediscover_finds_the_tty_under_its_new_number)
{
    remove_probe(&g_hub);
    g_hub.tty = 6;
    add_probe(&g_hub, 6, true);
    board_config_t b = board(1000);
    char port[256], why[512];
    cr_expect_eq(usb_rediscover(&b, port, sizeof port, why, sizeof why), 0, "%s", why);
    cr_expect_str_eq(port, "/dev/ttyACM6");
}

Test(usb_power, rediscover_of_a_gone_probe_fails_after_the_deadline)
{
    remove_probe(&g_hub);
    board_config_t b = board(200);
    char port[256], why[512];
    cr_expect_eq(usb_rediscover(&b, port, sizeof port, why, sizeof why), -1);
    cr_expect(strstr(why, SERIAL) && strstr(why, "did not come back"), "%s", why);
    board_usb_t usb = {.vid = 0x0483};
    b.usb = &usb;
    cr_expect_eq(usb_rediscover(&b, port, sizeof port, why, sizeof why), -2);
}
