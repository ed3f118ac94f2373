/* The image up-to-date check without make. The build writes <image>.inputs
 * after linking (cmake/image_stamp.cmake): every file make compares for this
 * image. After a `cmake --build` of the image succeeds, the runner leaves
 * <image>.verified, whose modification time is the moment that build began
 * (a file created just before it, so the kernel's own clock, as for any edit
 * since). The image is current when both files exist, the list is older than
 * the verification (no build rewrote it since) and every listed file is
 * strictly older than it: make saw them all as they are now and found or
 * made the image current. Then `cmake --build` need not run (it costs
 * 0.2-0.4 s per image even with nothing to do). Anything else, and the
 * caller builds as before. */
#ifndef TLSRIG_IMAGE_STAMP_H
#define TLSRIG_IMAGE_STAMP_H

#include <stdbool.h>
#include <stddef.h>

/* true when `image` is current as above; otherwise false, with why naming
 * the first reason (to log). *n_checked: listed paths compared. */
bool image_stamp_current(const char *image, size_t *n_checked, char *why, size_t cap);

/* Before `cmake --build`: creates <image>.verified.tmp (its time is now).
 * After: image_stamp_verified(image, true) renames it to <image>.verified;
 * with false (the build failed) removes it and any older verification.
 * Best effort: a missing verification only costs the next run a build. */
void image_stamp_begin(const char *image);
void image_stamp_verified(const char *image, bool built);

#endif
