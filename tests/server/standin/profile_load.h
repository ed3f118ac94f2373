/* TEMPORARY stand-in until host/server/profile_load.h lands. */
#ifndef TLSRIG_PROFILE_LOAD_H
#define TLSRIG_PROFILE_LOAD_H
#include <stddef.h>
#include "profile.h"
int profile_load(const char *dir, const char *name, server_profile_t *p, char *err, size_t errlen);
#endif
