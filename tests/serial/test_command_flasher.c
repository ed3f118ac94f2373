/* The command flasher: argv templates expanded into single arguments and run
 * without a shell, a deadline that kills, a non-zero exit that names the
 * command, output in the console log. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "board_flasher.h"
#include "command_run.h"

static char err[1024];

static char *tmp_log(void)
{
    static char path[] = "/tmp/tlsrig-cmdflash-XXXXXX";
    snprintf(path, sizeof path, "%s", "/tmp/tlsrig-cmdflash-XXXXXX");
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    return path;
}

static char *slurp(const char *path)
{
    static char text[8192];
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "%s", path);
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    return text;
}

Test(command_flasher, placeholders_expand_inside_arguments_and_each_stays_one_argument)
{
    char *tmpl[] = {"prog", "{image}", "--bin={bin}", "{hex}", "sn:{serial}", "a b; rm -rf /"};
    command_vars_t v = {.image = "/x/img", .serial = "S1"};
    char **argv = NULL;
    cr_assert_eq(command_expand(tmpl, 6, &v, &argv, err, sizeof err), 0, "%s", err);
    cr_expect_str_eq(argv[1], "/x/img");
    cr_expect_str_eq(argv[2], "--bin=/x/img.bin");
    cr_expect_str_eq(argv[3], "/x/img.hex");
    cr_expect_str_eq(argv[4], "sn:S1");
    cr_expect_str_eq(argv[5], "a b; rm -rf /");
    cr_expect_null(argv[6]);
    command_argv_free(argv);
    char *bad[] = {"prog", "{file}"};
    cr_expect_eq(command_expand(bad, 2, &v, &argv, err, sizeof err), -1);
    cr_expect(strstr(err, "unknown placeholder") != NULL, "%s", err);
}

Test(command_flasher, no_shell_reads_the_arguments)
{
    char *log = tmp_log();
    char *argv[] = {"printf", "[%s]\\n", "x; echo INJECTED", "$(echo SUBST)", NULL};
    cr_expect_eq(command_run(argv, 5000, log, err, sizeof err), 0, "%s", err);
    cr_expect_str_eq(slurp(log), "[x; echo INJECTED]\n[$(echo SUBST)]\n");
    unlink(log);
}

Test(command_flasher, a_command_past_its_deadline_is_killed_and_named)
{
    char *argv[] = {"sleep", "30", NULL};
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    cr_expect_eq(command_run(argv, 200, NULL, err, sizeof err), -1);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double took = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    cr_expect(took >= 0.2 && took < 5.0, "took %.2f s", took);
    cr_expect(strstr(err, "sleep 30") != NULL && strstr(err, "no exit within 200 ms") != NULL, "%s",
              err);
}

Test(command_flasher, a_non_zero_exit_is_an_error_naming_the_command)
{
    char *log = tmp_log();
    char *argv[] = {"sh", "-c", "echo flashing failed >&2; exit 4", NULL};
    cr_expect_eq(command_run(argv, 5000, log, err, sizeof err), -1);
    cr_expect(strstr(err, "'echo flashing failed >&2; exit 4'") != NULL, "%s", err);
    cr_expect(strstr(err, "exit status 4") != NULL, "%s", err);
    cr_expect(strstr(slurp(log), "flashing failed") != NULL, "stderr not in the log");
    unlink(log);
}

Test(command_flasher, a_program_that_does_not_exist_says_so)
{
    char *argv[] = {"/nonexistent/openocd", NULL};
    cr_expect_eq(command_run(argv, 5000, NULL, err, sizeof err), -1);
    cr_expect(strstr(err, "cannot run /nonexistent/openocd") != NULL, "%s", err);
}

Test(command_flasher, program_and_reset_run_the_board_files_commands)
{
    char *log = tmp_log();
    char *flash[] = {"printf", "flash %s %s\\n", "{bin}", "{serial}"};
    char *reset[] = {"printf", "reset %s\\n", "{serial}"};
    board_usb_t usb = {.vid = 0x483, .pid = 0x374b, .serial = "SN42"};
    board_config_t b = {.name = "t",
                        .kind = BOARD_HW,
                        .flasher = FLASHER_COMMAND,
                        .flash_command = flash,
                        .flash_command_count = 4,
                        .reset_command = reset,
                        .reset_command_count = 3,
                        .usb = &usb,
                        .timeouts = {.flash_ms = 5000}};
    char err2[256];
    const board_flasher_t *f = board_flasher_for(&b, err2, sizeof err2);
    cr_assert_eq(f, &board_flasher_command, "%s", err2);
    board_flasher_set_console_log(log);
    flash_report_t rep;
    cr_expect_eq(f->program(&b, "/img/agent", &rep, err, sizeof err), 0, "%s", err);
    cr_expect_str_eq(rep.probe_serial, "SN42");
    cr_expect_eq(f->reset(&b, err, sizeof err), 0, "%s", err);
    cr_expect_str_eq(slurp(log), "flash /img/agent.bin SN42\nreset SN42\n");
    b.reset_command = NULL;
    cr_expect_eq(f->reset(&b, err, sizeof err), -1);
    cr_expect(strstr(err, "no reset_command") != NULL, "%s", err);
    board_flasher_set_console_log(NULL);
    unlink(log);
}
