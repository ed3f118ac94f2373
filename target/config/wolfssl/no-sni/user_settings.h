/*
 * wolfSSL 5.7.2 user settings, profile "no-sni": "full" without HAVE_SNI (wolfSSL's
 * configure without --enable-sni). The agent's wolfSSL_UseSNI() call compiles out and no
 * server_name goes out: a server that requires it answers with a fatal alert (-313).
 */
#ifndef TLSRIG_WOLFSSL_USER_SETTINGS_NO_SNI_H
#define TLSRIG_WOLFSSL_USER_SETTINGS_NO_SNI_H

#include "../full/user_settings.h"

#undef HAVE_SNI

#endif
