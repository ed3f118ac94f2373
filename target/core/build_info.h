/* Facts compiled into each image: set by the build (CMake definitions). */
#ifndef TLSRIG_BUILD_INFO_H
#define TLSRIG_BUILD_INFO_H

#ifndef TLSRIG_AGENT_VERSION
#define TLSRIG_AGENT_VERSION "0.1.0"
#endif
#ifndef TLSRIG_BACKEND
#define TLSRIG_BACKEND "sw"
#endif
#ifndef TLSRIG_CONFIG_PROFILE
#define TLSRIG_CONFIG_PROFILE "full"
#endif

/* Build id: a hash of the image, patched in after linking would be ideal; we
 * use a hash of the sources and settings computed by the build instead (see
 * target/CMakeLists.txt), which changes whenever the image does. */
#if defined(TLSRIG_HAVE_BUILD_ID_H)
#include "build_id.h"
#endif
#ifndef TLSRIG_BUILD_ID
#define TLSRIG_BUILD_ID "unknown"
#endif

#endif
