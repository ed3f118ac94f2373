# wolfSSL built from source for target images, the agent's second TLS stack (docs/stacks.md,
# "wolfSSL"). Included by target/CMakeLists.txt when "wolfssl" is in TLSRIG_STACKS.
#
# WOLFSSL_SOURCE_DIR (cache variable or environment) selects the tree; when it is empty,
# `ci/fetch-tls-source.sh --stack wolfssl` provides Debian trixie's wolfssl source package
# (5.7.2-0.1+deb13u2, checksum-verified and cached like mbedTLS). The resolved path is the
# global property TLSRIG_WOLFSSL_SOURCE_DIR, its LIBWOLFSSL_VERSION_STRING
# TLSRIG_WOLFSSL_VERSION.
#
# tlsrig_add_wolfssl(<name> SETTINGS <dir holding user_settings.h>)
#   Static library <name> with only the wolfSSL sources a TLS client profile needs (not
#   wolfSSL's own CMake, which builds far more), compiled with WOLFSSL_USER_SETTINGS. The
#   define and the include directories are PUBLIC, so code linking <name> sees exactly the
#   settings the library was built with. wolfSSL is third-party code: not tlsrig_strict().
include_guard(GLOBAL)

set(_tlsrig_wolfssl_root ${CMAKE_CURRENT_LIST_DIR}/..)
set(WOLFSSL_SOURCE_DIR "$ENV{WOLFSSL_SOURCE_DIR}"
    CACHE PATH "Unpacked wolfSSL 5.x source for target builds (empty: fetch Debian's source package)")
if(NOT DEFINED TLSRIG_CACHE_DIR)
  set(TLSRIG_CACHE_DIR ${_tlsrig_wolfssl_root}/.cache)
endif()

# The script validates an explicit tree too (wolfssl/ssl.h, src/, wolfcrypt/src/, a 5.x
# version) and prints the path.
if(WOLFSSL_SOURCE_DIR)
  set(_env WOLFSSL_SOURCE_DIR=${WOLFSSL_SOURCE_DIR})
else()
  set(_env --unset=WOLFSSL_SOURCE_DIR)
endif()
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env ${_env} TLSRIG_CACHE_DIR=${TLSRIG_CACHE_DIR}
          bash ${_tlsrig_wolfssl_root}/ci/fetch-tls-source.sh --stack wolfssl
  OUTPUT_VARIABLE _tlsrig_wolfssl_dir
  OUTPUT_STRIP_TRAILING_WHITESPACE
  RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0 OR NOT EXISTS "${_tlsrig_wolfssl_dir}/wolfssl/ssl.h")
  message(FATAL_ERROR
    "No wolfSSL source for stack wolfssl (ci/fetch-tls-source.sh --stack wolfssl failed, see above).\n"
    "Set -DWOLFSSL_SOURCE_DIR=<unpacked wolfSSL 5.x> and configure again, or leave wolfssl "
    "out of TLSRIG_STACKS.")
endif()
file(STRINGS ${_tlsrig_wolfssl_dir}/wolfssl/version.h _line
     REGEX "^#define[ \t]+LIBWOLFSSL_VERSION_STRING[ \t]")
string(REGEX REPLACE ".*\"(.*)\".*" "\\1" TLSRIG_WOLFSSL_VERSION "${_line}")
message(STATUS "wolfSSL ${TLSRIG_WOLFSSL_VERSION} source for targets (stack wolfssl): ${_tlsrig_wolfssl_dir}")
set(WOLFSSL_SOURCE_DIR ${_tlsrig_wolfssl_dir})
set_property(GLOBAL PROPERTY TLSRIG_WOLFSSL_SOURCE_DIR ${_tlsrig_wolfssl_dir})
set_property(GLOBAL PROPERTY TLSRIG_WOLFSSL_VERSION ${TLSRIG_WOLFSSL_VERSION})

# What a TLS 1.2/1.3 client of our profiles compiles. ssl.c includes its ssl_*.c, x509*.c
# and pk.c parts itself; misc.c is inlined. A file whose feature a profile turns off
# compiles to nothing (e.g. curve25519.c in `small`).
set(TLSRIG_WOLFSSL_TLS_SOURCES internal.c keys.c ssl.c tls.c tls13.c wolfio.c)
set(TLSRIG_WOLFSSL_CRYPT_SOURCES
  aes.c asn.c chacha.c chacha20_poly1305.c coding.c cryptocb.c curve25519.c ecc.c error.c
  fe_operations.c hash.c hmac.c kdf.c logging.c md5.c memory.c poly1305.c random.c rsa.c sha.c
  sha256.c sha512.c sp_int.c wc_encrypt.c wc_port.c wolfmath.c)

function(tlsrig_add_wolfssl name)
  cmake_parse_arguments(ARG "" "SETTINGS" "" ${ARGN})
  if(NOT ARG_SETTINGS OR NOT EXISTS ${ARG_SETTINGS}/user_settings.h)
    message(FATAL_ERROR "tlsrig_add_wolfssl(${name}): no user_settings.h in '${ARG_SETTINGS}'")
  endif()
  get_property(src GLOBAL PROPERTY TLSRIG_WOLFSSL_SOURCE_DIR)
  set(sources "")
  foreach(f ${TLSRIG_WOLFSSL_TLS_SOURCES})
    list(APPEND sources ${src}/src/${f})
  endforeach()
  foreach(f ${TLSRIG_WOLFSSL_CRYPT_SOURCES})
    list(APPEND sources ${src}/wolfcrypt/src/${f})
  endforeach()
  add_library(${name} STATIC ${sources})
  # SYSTEM: our strict warnings must not fire on wolfSSL headers included by our code.
  target_include_directories(${name} SYSTEM PUBLIC ${src} ${ARG_SETTINGS})
  target_compile_definitions(${name} PUBLIC WOLFSSL_USER_SETTINGS)
  # gcc 12 warns (wrongly) on a memcpy in src/tls.c; never an error whatever the flags.
  if(CMAKE_C_COMPILER_ID STREQUAL "GNU")
    target_compile_options(${name} PRIVATE -Wno-error=stringop-overflow)
  endif()
  tlsrig_third_party_flags(${name})
endfunction()
