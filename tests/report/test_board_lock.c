/* The board lock between two processes: the second fails at once or times
 * out while the first holds it, waits and gets it when released, and gets it
 * when the holder dies. Synchronised by pipes and flock itself, never sleeps. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "board_lock.h"
#include "report_test_util.h"

static void use_scratch_lock_dir(void)
{
    setenv("TLSRIG_LOCK_DIR", scratch_dir(), 1);
}

/* A child trying the lock with timeout_s; its exit status is 0 on success. */
static pid_t child_acquire(int timeout_s, int ready_fd)
{
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        if (ready_fd >= 0) {
            char c = 'r';
            ssize_t w = write(ready_fd, &c, 1);
            (void)w;
        }
        board_lock_t l;
        char err[512];
        int rc = board_lock_acquire("nucleo-1", timeout_s, &l, err, sizeof err);
        _exit(rc == 0 ? 0 : 1);
    }
    return pid;
}

static int exit_status(pid_t pid)
{
    int st;
    cr_assert_eq(waitpid(pid, &st, 0), pid);
    cr_assert(WIFEXITED(st));
    return WEXITSTATUS(st);
}

Test(report_board_lock, second_process_cannot_take_a_held_board)
{
    use_scratch_lock_dir();
    board_lock_t held;
    char err[512];
    cr_assert_eq(board_lock_acquire("nucleo-1", 0, &held, err, sizeof err), 0, "%s", err);
    cr_assert_eq(exit_status(child_acquire(0, -1)), 1, "try-once must fail while held");
    cr_assert_eq(exit_status(child_acquire(1, -1)), 1, "must time out while held");
    board_lock_release(&held);
    cr_assert_eq(exit_status(child_acquire(0, -1)), 0, "free once released");
}

Test(report_board_lock, waiter_gets_the_board_when_released)
{
    use_scratch_lock_dir();
    board_lock_t held;
    char err[512];
    cr_assert_eq(board_lock_acquire("nucleo-1", 0, &held, err, sizeof err), 0, "%s", err);
    int p[2];
    cr_assert_eq(pipe(p), 0);
    pid_t waiter = child_acquire(-1, p[1]);
    char c;
    cr_assert_eq(read(p[0], &c, 1), 1); /* the waiter is about to block */
    int st;
    cr_assert_eq(waitpid(waiter, &st, WNOHANG), 0, "waiter must not get a held board");
    board_lock_release(&held);
    cr_assert_eq(exit_status(waiter), 0, "waiter must get the board once released");
    close(p[0]);
    close(p[1]);
}

Test(report_board_lock, a_dead_holder_frees_the_board)
{
    use_scratch_lock_dir();
    cr_assert_eq(exit_status(child_acquire(0, -1)), 0); /* exits holding the lock */
    board_lock_t l;
    char err[512];
    cr_assert_eq(board_lock_acquire("nucleo-1", 0, &l, err, sizeof err), 0, "%s", err);
    board_lock_release(&l);
}

Test(report_board_lock, other_boards_are_independent)
{
    use_scratch_lock_dir();
    board_lock_t a, b;
    char err[512];
    cr_assert_eq(board_lock_acquire("nucleo-1", 0, &a, err, sizeof err), 0, "%s", err);
    cr_assert_eq(board_lock_acquire("nucleo-2", 0, &b, err, sizeof err), 0, "%s", err);
    board_lock_release(&a);
    board_lock_release(&b);
}

Test(report_board_lock, board_names_cannot_escape_the_lock_dir)
{
    board_lock_t l;
    char err[512];
    cr_assert_eq(board_lock_acquire("../etc/x", 0, &l, err, sizeof err), -1);
    cr_assert_eq(board_lock_acquire("", 0, &l, err, sizeof err), -1);
}
