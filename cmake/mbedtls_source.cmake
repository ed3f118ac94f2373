# mbedTLS built from source for target images (sim and Cortex-M), with our own config headers.
#
# MBEDTLS_SOURCE_DIR (cache variable or environment) selects the source tree; when it is empty,
# ci/fetch-mbedtls.sh provides Debian's source of the host library's release (cached, so later
# configures only read a stamp file). The resolved path is kept in the global property
# TLSRIG_MBEDTLS_SOURCE_DIR and in the variable MBEDTLS_SOURCE_DIR of the including scope.
#
# tlsrig_add_mbedtls(<name> CONFIG <path/to/config.h>)
#   Static library <name> with all of library/*.c (crypto, X.509 and TLS in one archive),
#   compiled with MBEDTLS_CONFIG_FILE="<config.h>". The define and the include directories are
#   PUBLIC so code linking <name> sees exactly the configuration the library was built with.
include_guard(GLOBAL)

set(_tlsrig_repo_root ${CMAKE_CURRENT_LIST_DIR}/..)
set(MBEDTLS_SOURCE_DIR "$ENV{MBEDTLS_SOURCE_DIR}"
    CACHE PATH "Unpacked mbedTLS source for target builds (empty: fetch Debian's source package)")
if(NOT DEFINED TLSRIG_CACHE_DIR)
  set(TLSRIG_CACHE_DIR ${_tlsrig_repo_root}/.cache)
endif()

if(MBEDTLS_SOURCE_DIR)
  set(_tlsrig_mbedtls_env MBEDTLS_SOURCE_DIR=${MBEDTLS_SOURCE_DIR})
else()
  # The script reads $MBEDTLS_SOURCE_DIR; an empty cache variable must win over the environment.
  set(_tlsrig_mbedtls_env --unset=MBEDTLS_SOURCE_DIR)
endif()
# The script validates an explicit tree too (include/mbedtls/, library/, version warning).
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env ${_tlsrig_mbedtls_env} TLSRIG_CACHE_DIR=${TLSRIG_CACHE_DIR}
          bash ${_tlsrig_repo_root}/ci/fetch-mbedtls.sh
  OUTPUT_VARIABLE _tlsrig_mbedtls_dir
  OUTPUT_STRIP_TRAILING_WHITESPACE
  RESULT_VARIABLE _tlsrig_mbedtls_rc)
if(NOT _tlsrig_mbedtls_rc EQUAL 0 OR NOT IS_DIRECTORY "${_tlsrig_mbedtls_dir}/library")
  message(FATAL_ERROR
    "No mbedTLS source for the target builds (ci/fetch-mbedtls.sh failed, see above).\n"
    "Set -DMBEDTLS_SOURCE_DIR=<unpacked mbedTLS of the host's release> and configure again.")
endif()

file(STRINGS ${_tlsrig_mbedtls_dir}/include/mbedtls/version.h _tlsrig_mbedtls_version_line
     REGEX "^#define[ \t]+MBEDTLS_VERSION_STRING[ \t]")
string(REGEX REPLACE ".*\"(.*)\".*" "\\1" TLSRIG_MBEDTLS_SOURCE_VERSION "${_tlsrig_mbedtls_version_line}")
message(STATUS "mbedTLS ${TLSRIG_MBEDTLS_SOURCE_VERSION} source for targets: ${_tlsrig_mbedtls_dir}")

set_property(GLOBAL PROPERTY TLSRIG_MBEDTLS_SOURCE_DIR ${_tlsrig_mbedtls_dir})
set(MBEDTLS_SOURCE_DIR ${_tlsrig_mbedtls_dir})

function(tlsrig_add_mbedtls name)
  cmake_parse_arguments(ARG "" "CONFIG" "" ${ARGN})
  if(NOT ARG_CONFIG OR NOT EXISTS ${ARG_CONFIG})
    message(FATAL_ERROR "tlsrig_add_mbedtls(${name}): CONFIG header '${ARG_CONFIG}' not found")
  endif()
  get_property(src GLOBAL PROPERTY TLSRIG_MBEDTLS_SOURCE_DIR)
  # Every module is guarded by its config macro, so compiling all of library/ is safe:
  # net_sockets.c, timing.c and entropy_poll.c compile to nothing when their options are off.
  file(GLOB sources CONFIGURE_DEPENDS ${src}/library/*.c)
  get_filename_component(config_dir ${ARG_CONFIG} DIRECTORY)
  get_filename_component(config_name ${ARG_CONFIG} NAME)

  add_library(${name} STATIC ${sources})
  # SYSTEM: our strict warnings must not fire on mbedTLS headers included by our code.
  target_include_directories(${name} SYSTEM PUBLIC ${src}/include ${config_dir})
  target_include_directories(${name} PRIVATE ${src}/library)
  target_compile_definitions(${name} PUBLIC "MBEDTLS_CONFIG_FILE=\"${config_name}\"")
  set_target_properties(${name} PROPERTIES C_EXTENSIONS OFF)
endfunction()
