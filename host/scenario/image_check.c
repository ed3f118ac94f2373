#define _POSIX_C_SOURCE 200809L
#include "image_check.h"

#include <stdio.h>

#include "flasher.h"
#include "image_stamp.h"

static void *check(void *arg)
{
    image_check_t *c = arg;
    c->current = image_stamp_current(c->image, &c->n_checked, c->why, sizeof c->why);
    return NULL;
}

int image_check_begin(image_check_t *c, const char *build_dir, const char *target)
{
    snprintf(c->image, sizeof c->image, "%s/images/%s", build_dir, target);
    snprintf(c->target, sizeof c->target, "%s", target);
    c->current = false;
    c->why[0] = '\0';
    return pthread_create(&c->thread, NULL, check, c) == 0 ? 0 : -1;
}

bool image_check_end(image_check_t *c, const char *log_path)
{
    pthread_join(c->thread, NULL);
    if (c->current) {
        image_build_note(log_path, c->target, true, c->why); /* a stale one: image_build's */
    }
    return c->current;
}
