/* An image's up-to-date check (image_stamp.h) on a thread of its own, so that a sim target
 * starts from the image, and takes its self-test, while its 500 inputs are compared (1.3-1.7
 * ms of every run). Only for the sim, a local process: a stale image's session is stopped
 * before `cmake --build` rewrites it; a board is never flashed from an image not yet checked,
 * and QEMU's cross-built images, which have no input list, always build first. */
#ifndef TLSRIG_IMAGE_CHECK_H
#define TLSRIG_IMAGE_CHECK_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct image_check {
    pthread_t thread;
    char image[4200];
    char target[300];
    bool current;
    size_t n_checked;
    char why[4400];
} image_check_t;

/* 0 with the check running; -1 when no thread could start (check with image_build). */
int image_check_begin(image_check_t *c, const char *build_dir, const char *target);
/* Waits for the check. true: current, noted in log_path as image_build notes it; false: the
 * caller stops what it started from the image and calls image_build, which notes why. */
bool image_check_end(image_check_t *c, const char *log_path);

#endif
