/* issue 17 cfgcross: where a user's configuration is built for a board (sim or Cortex-M
 * tree, the toolchain it needs), and how a tree and an image are made, against a fake
 * `cmake` on PATH that configures, builds, fails or dies as the test says: a failed
 * configure is run again, a configuration that does not build is exit 2 and leaves no
 * image, a build that did not run to its end is exit 3, a built image is not rebuilt. */
#define _XOPEN_SOURCE 700
#include <criterion/criterion.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "file_read.h"
#include "user_build.h"
#include "user_context.h"
#include "user_image.h"
#include "user_target.h"

/* Logs every call to $FAKE_LOG; $FAKE_MODE: configure-fails, lib-fails, image-half, signal,
 * else a build that writes the image (as make: only when it is missing). */
static const char k_fake_cmake[] =
    "#!/bin/sh\n"
    "echo \"$*\" >> \"$FAKE_LOG\"\n"
    "if [ \"$1\" = -S ]; then\n"
    "  [ \"$FAKE_MODE\" = configure-fails ] && { echo 'CMake Error: no compiler'; exit 1; }\n"
    "  exit 0\n"
    "fi\n"
    "tree=$2; target=$4; img=$tree/images/$target\n"
    "case \"$FAKE_MODE:$target\" in\n"
    "  lib-fails:mbedtls_*) echo \"aes.c:12:2: error: #error \\\"bad config\\\"\"; exit 2;;\n"
    "  image-half:tlsrig-*) mkdir -p \"$tree/images\"; echo half > \"$img\";\n"
    "                       echo id > \"$img.buildid\"; echo x > \"$img.bin\"; exit 2;;\n"
    "  signal:*) kill -9 $$;;\n"
    "esac\n"
    "case $target in tlsrig-*)\n"
    "  [ -f \"$img\" ] && exit 0\n"
    "  mkdir -p \"$tree/images\"; echo elf > \"$img\"; echo id > \"$img.buildid\"\n"
    "  echo \"$tree/tlsrig_user_config.h\" > \"$img.inputs\";;\n"
    "esac\n"
    "exit 0\n";

static char g_dir[4096], g_log[4300], g_build_log[4300];
static user_context_t g_ctx;
static user_config_t g_cfg;

static void setup(void)
{
    /* A fresh directory per test (pids repeat across runs). */
    snprintf(g_dir, sizeof g_dir, "%s/tests/userconfig/fake-cmake-XXXXXX",
             getenv("TLSRIG_BUILD_DIR"));
    cr_assert_not_null(mkdtemp(g_dir), "%s", g_dir);
    char bin[4200], cmake[4300], path[8192];
    snprintf(bin, sizeof bin, "%s/bin", g_dir);
    cr_assert_eq(mkdir(bin, 0755), 0);
    snprintf(cmake, sizeof cmake, "%s/cmake", bin);
    FILE *f = fopen(cmake, "w");
    cr_assert_not_null(f);
    fputs(k_fake_cmake, f);
    cr_assert_eq(fclose(f), 0);
    cr_assert_eq(chmod(cmake, 0755), 0);
    snprintf(path, sizeof path, "%s:%s", bin, getenv("PATH"));
    setenv("PATH", path, 1);
    snprintf(g_log, sizeof g_log, "%s/calls.log", g_dir);
    snprintf(g_build_log, sizeof g_build_log, "%s/build.log", g_dir);
    setenv("FAKE_LOG", g_log, 1);
    memset(&g_ctx, 0, sizeof g_ctx);
    snprintf(g_ctx.build_dir, sizeof g_ctx.build_dir, "%s", g_dir);
    snprintf(g_ctx.root, sizeof g_ctx.root, "%s", getenv("TLSRIG_SOURCE_DIR"));
    snprintf(g_ctx.cc, sizeof g_ctx.cc, "cc");
    snprintf(g_ctx.toolchain_file, sizeof g_ctx.toolchain_file, "%.3000s/cmake/arm-none-eabi.cmake",
             g_ctx.root);
    snprintf(g_ctx.arm_gcc, sizeof g_ctx.arm_gcc, "/bin/sh"); /* exists, executable */
    g_ctx.cross = true;
    memset(&g_cfg, 0, sizeof g_cfg);
    snprintf(g_cfg.path, sizeof g_cfg.path, "/somewhere/dev_config.h");
    snprintf(g_cfg.sha256, sizeof g_cfg.sha256, "%064d", 7);
    snprintf(g_cfg.name, sizeof g_cfg.name, "user-0000000000000007");
    g_cfg.stack = "mbedtls-2.28";
    g_cfg.content = "#define MBEDTLS_SSL_CLI_C\n";
    g_cfg.len = strlen(g_cfg.content);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* The test's trees, fake and logs: gone. */
static void teardown(void)
{
    (void)nftw(g_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* How many calls of the fake contain `what`. */
static int calls(const char *what)
{
    char *text = file_read_all(g_log, 1u << 20, NULL);
    int n = 0;
    for (const char *p = text; p && (p = strstr(p, what)); p++) {
        n++;
    }
    free(text);
    return n;
}

static bool exists(const char *path)
{
    return access(path, F_OK) == 0;
}

/* mtime one minute ago. */
static void set_back(const char *path)
{
    struct timespec t[2];
    clock_gettime(CLOCK_REALTIME, &t[0]);
    t[0].tv_sec -= 60;
    t[1] = t[0];
    cr_assert_eq(utimensat(AT_FDCWD, path, t, 0), 0, "%s", path);
}

#define TARGET "tlsrig-agent-qemu-f405-sw-user-0000000000000007"
#define LIB "mbedtls_user-0000000000000007_cm4"

static void prepare(user_build_t *b)
{
    char err[4096];
    cr_assert_eq(user_build_prepare(&g_ctx, &g_cfg, USER_TREE_CM4, g_build_log, b, err, sizeof err),
                 0, "%s", err);
}

TestSuite(user_build, .init = setup, .fini = teardown);

Test(user_build, sim_and_cortex_m_firmwares_choose_their_tree)
{
    user_tree_kind_t kind = USER_TREE_CM4;
    char err[1024];
    cr_assert_eq(user_target_tree(&g_ctx, "sim-uart-115200", "sim", &kind, err, sizeof err), 0);
    cr_assert_eq(kind, USER_TREE_SIM);
    cr_assert_eq(user_target_tree(&g_ctx, "qemu-f405", "qemu-f405", &kind, err, sizeof err), 0);
    cr_assert_eq(kind, USER_TREE_CM4);
    kind = USER_TREE_SIM;
    cr_assert_eq(user_target_tree(&g_ctx, "nucleo-f439zi", "nucleo-f439zi", &kind, err, sizeof err),
                 0);
    cr_assert_eq(kind, USER_TREE_CM4);
    cr_assert_eq(user_target_tree(&g_ctx, "lab-f7", "stm32f767", &kind, err, sizeof err), 2);
    cr_assert(strstr(err, "firmware stm32f767, which has no images built from a user's"), "%s",
              err);
}

Test(user_build, cortex_m_firmware_without_the_toolchain_is_an_infrastructure_error)
{
    user_tree_kind_t kind;
    char err[1024];
    g_ctx.cross = false;
    cr_assert_eq(user_target_tree(&g_ctx, "qemu-f405", "qemu-f405", &kind, err, sizeof err), 3);
    cr_assert(strstr(err, "no cross toolchain"), "%s", err);
    cr_assert(strstr(err, "-DTLSRIG_CROSS=ON"), "%s", err);
    /* The sim needs none. */
    cr_assert_eq(user_target_tree(&g_ctx, "sim", "sim", &kind, err, sizeof err), 0);
    /* Configured with one, since removed. */
    g_ctx.cross = true;
    snprintf(g_ctx.arm_gcc, sizeof g_ctx.arm_gcc, "%.3000s/no-such-arm-none-eabi-gcc", g_dir);
    cr_assert_eq(user_target_tree(&g_ctx, "nucleo-f439zi", "nucleo-f439zi", &kind, err, sizeof err),
                 3);
    cr_assert(strstr(err, "no-such-arm-none-eabi-gcc is gone"), "%s", err);
}

Test(user_build, context_json_says_whether_the_build_has_the_toolchain)
{
    char dir[4200], path[4300], err[1024];
    snprintf(dir, sizeof dir, "%s/userconfig", g_dir);
    cr_assert_eq(mkdir(dir, 0755), 0);
    snprintf(path, sizeof path, "%s/context.json", dir);
    FILE *f = fopen(path, "w");
    fprintf(f, "{\"root\": \"/r\", \"c_compiler\": \"/usr/bin/cc\", \"cross\": {\"enabled\": true, "
               "\"arm_gcc\": \"/usr/bin/arm-none-eabi-gcc\", \"toolchain_file\": \"/r/t.cmake\", "
               "\"nucleo_baud\": \"921600\"}}");
    fclose(f);
    user_context_t ctx;
    cr_assert_eq(user_context_load(g_dir, &ctx, err, sizeof err), 0, "%s", err);
    cr_assert(ctx.cross);
    cr_assert_str_eq(ctx.arm_gcc, "/usr/bin/arm-none-eabi-gcc");
    cr_assert_str_eq(ctx.nucleo_baud, "921600");
    /* A context from before the Cortex-M images: no toolchain. */
    f = fopen(path, "w");
    fprintf(f, "{\"root\": \"/r\", \"c_compiler\": \"/usr/bin/cc\"}");
    fclose(f);
    cr_assert_eq(user_context_load(g_dir, &ctx, err, sizeof err), 0, "%s", err);
    cr_assert_not(ctx.cross);
}

Test(user_build, the_user_tree_compiles_as_the_build_does)
{
    char dir[4200], path[4300], err[1024];
    snprintf(dir, sizeof dir, "%s/userconfig", g_dir);
    cr_assert_eq(mkdir(dir, 0755), 0);
    snprintf(path, sizeof path, "%s/context.json", dir);
    /* A build without debug information in the TLS libraries and without progress lines
     * (as CI configures it): the user's tree gets the same two settings. */
    FILE *f = fopen(path, "w");
    fprintf(f, "{\"root\": \"/r\", \"c_compiler\": \"/usr/bin/cc\", "
               "\"third_party_debug_info\": false, \"rule_messages\": \"OFF\"}");
    fclose(f);
    user_context_t ctx;
    cr_assert_eq(user_context_load(g_dir, &ctx, err, sizeof err), 0, "%s", err);
    cr_assert_not(ctx.third_party_debug_info);
    cr_assert_str_eq(ctx.rule_messages, "OFF");
    g_ctx.third_party_debug_info = ctx.third_party_debug_info;
    snprintf(g_ctx.rule_messages, sizeof g_ctx.rule_messages, "%s", ctx.rule_messages);
    user_build_t b;
    prepare(&b);
    user_build_release(&b);
    cr_assert_eq(calls("-DTLSRIG_THIRD_PARTY_DEBUG_INFO=OFF"), 1);
    cr_assert_eq(calls("-DCMAKE_RULE_MESSAGES=OFF"), 1);
    /* A context from before these keys, or a value that is neither: CMake's defaults. */
    f = fopen(path, "w");
    fprintf(f, "{\"root\": \"/r\", \"c_compiler\": \"/usr/bin/cc\", "
               "\"rule_messages\": \"maybe\"}");
    fclose(f);
    cr_assert_eq(user_context_load(g_dir, &ctx, err, sizeof err), 0, "%s", err);
    cr_assert(ctx.third_party_debug_info);
    cr_assert_str_eq(ctx.rule_messages, "");
}

Test(user_build, each_image_links_the_library_of_its_backend_and_stack)
{
    char lib[200];
    user_target_mbedtls_lib(USER_TREE_CM4, "user-ab", "sw", "mbedtls-2.28", lib, sizeof lib);
    cr_assert_str_eq(lib, "mbedtls_user-ab_cm4");
    user_target_mbedtls_lib(USER_TREE_CM4, "user-ab", "hw", "mbedtls-3.6", lib, sizeof lib);
    cr_assert_str_eq(lib, "mbedtls_user-ab_hw_m36_cm4");
    user_target_mbedtls_lib(USER_TREE_SIM, "user-ab", "hw", "mbedtls-2.28", lib, sizeof lib);
    cr_assert_str_eq(lib, "mbedtls_user-ab_hw_native");
}

Test(user_build, a_failed_configure_is_run_again_by_the_next_run)
{
    user_build_t b;
    char err[4096];
    setenv("FAKE_MODE", "configure-fails", 1);
    cr_assert_eq(
        user_build_prepare(&g_ctx, &g_cfg, USER_TREE_CM4, g_build_log, &b, err, sizeof err), 3);
    cr_assert(strstr(err, "configuring the image build for /somewhere/dev_config.h failed"), "%s",
              err);
    cr_assert_eq(b.lock_fd, -1);
    setenv("FAKE_MODE", "ok", 1);
    prepare(&b);
    cr_assert(strstr(b.tree, "/userconfig/mbedtls-2.28-user-0000000000000007-cm4"), "%s", b.tree);
    user_build_release(&b);
    cr_assert_eq(calls("-DCMAKE_TOOLCHAIN_FILE="), 2);
    cr_assert_eq(calls("-DTLSRIG_USER_CM4=ON"), 2);
    /* Configured: the next run only reuses it. */
    prepare(&b);
    user_build_release(&b);
    cr_assert_eq(calls("-S "), 2);
}

Test(user_build, a_header_mbedtls_does_not_compile_with_is_exit_2_and_no_image)
{
    user_build_t b;
    char err[4096], image[4600];
    prepare(&b);
    setenv("FAKE_MODE", "lib-fails", 1);
    cr_assert_eq(user_image_build(&b, &g_cfg, TARGET, LIB, g_build_log, err, sizeof err), 2);
    cr_assert(strstr(err, "--config-file /somewhere/dev_config.h (sha256 0000000000000000...) "
                          "does not build for " TARGET ": mbedTLS does not compile with it"),
              "%s", err);
    cr_assert(strstr(err, "First error: aes.c:12:2: error: #error \"bad config\""), "%s", err);
    cr_assert_eq(calls("--target " TARGET), 0, "the image is not tried after its library failed");
    snprintf(image, sizeof image, "%s/images/" TARGET, b.tree);
    cr_assert_not(exists(image));
    user_build_release(&b);
}

Test(user_build, a_half_built_image_is_removed_and_never_taken_for_current)
{
    user_build_t b;
    char err[4096], image[4600], companion[4700];
    prepare(&b);
    snprintf(image, sizeof image, "%s/images/" TARGET, b.tree);
    setenv("FAKE_MODE", "image-half", 1);
    cr_assert_eq(user_image_build(&b, &g_cfg, TARGET, LIB, g_build_log, err, sizeof err), 2);
    cr_assert(strstr(err, "the agent's image does not build with it"), "%s", err);
    cr_assert_not(exists(image), "the half image is still there");
    snprintf(companion, sizeof companion, "%s.buildid", image);
    cr_assert_not(exists(companion));
    snprintf(companion, sizeof companion, "%s.bin", image);
    cr_assert_not(exists(companion));
    snprintf(companion, sizeof companion, "%s.verified", image);
    cr_assert_not(exists(companion));
    /* The next run builds it (make finds it missing) ... */
    setenv("FAKE_MODE", "ok", 1);
    cr_assert_eq(user_image_build(&b, &g_cfg, TARGET, LIB, g_build_log, err, sizeof err), 0, "%s",
                 err);
    cr_assert(exists(image));
    /* ... and once its inputs are older than that build's start, a later run builds nothing.
     * (The image check wants them strictly older; the fake writes them within the same
     * clock tick as the build starts, so they are set back a minute.) */
    char inputs[4700], copy[4500];
    snprintf(inputs, sizeof inputs, "%s.inputs", image);
    snprintf(copy, sizeof copy, "%s/tlsrig_user_config.h", b.tree);
    set_back(inputs);
    set_back(copy);
    int builds = calls("--build ");
    cr_assert_eq(user_image_build(&b, &g_cfg, TARGET, LIB, g_build_log, err, sizeof err), 0, "%s",
                 err);
    cr_assert_eq(calls("--build "), builds, "a current image was built again");
    char *log = file_read_all(g_build_log, 1u << 20, NULL);
    cr_assert(strstr(log, TARGET ": current, cmake --build not run"), "%s", log);
    free(log);
    user_build_release(&b);
}

Test(user_build, a_build_that_did_not_run_to_its_end_is_exit_3)
{
    user_build_t b;
    char err[4096], image[4600];
    prepare(&b);
    setenv("FAKE_MODE", "signal", 1);
    cr_assert_eq(user_image_build(&b, &g_cfg, TARGET, LIB, g_build_log, err, sizeof err), 3);
    cr_assert(strstr(err, "killed by signal 9"), "%s", err);
    snprintf(image, sizeof image, "%s/images/" TARGET, b.tree);
    cr_assert_not(exists(image));
    user_build_release(&b);
}
