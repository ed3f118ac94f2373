/* `tlsrig serve` (cmd_serve) in a child process: first line, one summary per
 * connection, clean exit on SIGTERM, exit codes 2 and 3. */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "commands.h"
#include "server_test_util.h"

/* Forks cmd_serve with stdout on a pipe; returns the child's pid. */
static pid_t spawn_serve(char **argv, int argc, FILE **out)
{
    int fds[2];
    cr_assert_eq(pipe(fds), 0);
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        _exit(cmd_serve(argc, argv));
    }
    close(fds[1]);
    *out = fdopen(fds[0], "r");
    return pid;
}

/* A profiles folder of the test's own with one permissive profile. */
static const char *profiles_dir(void)
{
    static char dir[1024];
    stu_capture_root("cli-profiles", dir, sizeof dir);
    char *out = stu_run("mkdir -p %s && printf \"name: cli-test\\nchains: [rsa2048]\\n"
                        "behaviours: [{what: permissive test server, source: this test, "
                        "confidence: high}]\\n\" "
                        "> %s/cli-test.yaml",
                        dir, dir);
    free(out);
    return dir;
}

static int exit_code(pid_t pid)
{
    int status = 0;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFEXITED(status), "serve did not exit normally");
    return WEXITSTATUS(status);
}

Test(server_cli, serves_summarises_and_stops_on_sigterm)
{
    char *argv[] = {"serve",
                    "--profile",
                    "cli-test",
                    "--listen",
                    "127.0.0.1:0",
                    "--profiles-dir",
                    (char *)profiles_dir(),
                    NULL};
    FILE *out;
    pid_t pid = spawn_serve(argv, 7, &out);
    char line[512];
    cr_assert_not_null(fgets(line, sizeof line, out));
    unsigned port = 0;
    cr_assert_eq(sscanf(line, "listening 127.0.0.1:%u\n", &port), 1, "first line: %s", line);
    cr_assert_gt(port, 0);
    char *client = stu_run("openssl s_client -connect 127.0.0.1:%u </dev/null", port);
    free(client);
    cr_assert_not_null(fgets(line, sizeof line, out));
    cr_expect(strncmp(line, "conn -: ok TLSv1.2", 18) == 0, "summary: %s", line);
    kill(pid, SIGTERM);
    cr_expect_eq(exit_code(pid), 0);
    fclose(out);
}

Test(server_cli, unknown_profile_is_a_usage_error)
{
    char *argv[] = {
        "serve", "--profile", "no-such-profile", "--profiles-dir", (char *)profiles_dir(), NULL};
    FILE *out;
    pid_t pid = spawn_serve(argv, 5, &out);
    cr_expect_eq(exit_code(pid), 2);
    fclose(out);
    char *bad[] = {"serve", "--listen", NULL};
    pid = spawn_serve(bad, 2, &out);
    cr_expect_eq(exit_code(pid), 2);
    fclose(out);
}

Test(server_cli, port_in_use_is_exit_3)
{
    int busy = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    cr_assert_eq(bind(busy, (struct sockaddr *)&a, sizeof a), 0);
    cr_assert_eq(listen(busy, 1), 0);
    socklen_t len = sizeof a;
    getsockname(busy, (struct sockaddr *)&a, &len);
    char listen_at[64];
    snprintf(listen_at, sizeof listen_at, "127.0.0.1:%u", ntohs(a.sin_port));
    char *argv[] = {"serve",
                    "--profile",
                    "cli-test",
                    "--listen",
                    listen_at,
                    "--profiles-dir",
                    (char *)profiles_dir(),
                    NULL};
    FILE *out;
    pid_t pid = spawn_serve(argv, 7, &out);
    cr_expect_eq(exit_code(pid), 3);
    fclose(out);
    close(busy);
}
