/* One image of a user's configuration, made current in its tree (user_build.h): nothing when
 * it is current (image_stamp.h), else `cmake --build` of the image's mbedTLS library, then of
 * the image. A build that fails leaves no image behind: the image and its companions
 * (.buildid, .bin, .hex, .size.json, .inputs, .map) are removed and its verification with
 * them, so no later run can take a half-built image for a current one. */
#ifndef TLSRIG_USER_IMAGE_H
#define TLSRIG_USER_IMAGE_H

#include <stddef.h>

#include "config_header.h"
#include "user_build.h"

/* Builds <b->tree>/images/<target> (linking library `lib`), output appended to log_path.
 * 0; 2 with err when the build ran and failed: the configuration does not compile for this
 * firmware (mbedTLS, the agent, the link or the port's memory budget; err names the first
 * compiler error); 3 with err when the build could not run (cmake missing, killed by a
 * signal, fork). */
int user_image_build(const user_build_t *b, const user_config_t *c, const char *target,
                     const char *lib, const char *log_path, char *err, size_t errlen);

#endif
