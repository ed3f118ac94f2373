# mbedTLS built from source for target images (sim and Cortex-M), with our own config headers,
# for each mbedTLS stack in TLSRIG_STACKS (docs/stacks.md).
#
# Stack mbedtls-2.28: MBEDTLS_SOURCE_DIR (cache variable or environment) selects the source
# tree; when it is empty, ci/fetch-tls-source.sh provides Debian's source of the host library's
# release. Stack mbedtls-3.6: MBEDTLS36_SOURCE_DIR, else `ci/fetch-tls-source.sh --stack
# mbedtls-3.6` (Debian's next release's source package). Both fetches are cached, so later
# configures only read a stamp file. The resolved paths are kept in the global properties
# TLSRIG_MBEDTLS_SOURCE_DIR_<stack> (and TLSRIG_MBEDTLS_SOURCE_DIR for 2.28) and in the
# variables MBEDTLS_SOURCE_DIR / MBEDTLS36_SOURCE_DIR of the including scope.
#
# tlsrig_add_mbedtls(<name> CONFIG <path/to/config.h> [STACK mbedtls-2.28|mbedtls-3.6])
#   Static library <name> with all of library/*.c (crypto, X.509 and TLS in one archive),
#   compiled with MBEDTLS_CONFIG_FILE="<config.h>". The define and the include directories are
#   PUBLIC so code linking <name> sees exactly the configuration the library was built with.
include_guard(GLOBAL)

set(_tlsrig_repo_root ${CMAKE_CURRENT_LIST_DIR}/..)
# issue 18 wolfagent: wolfssl, the second TLS stack (cmake/wolfssl_source.cmake).
set(TLSRIG_KNOWN_STACKS mbedtls-2.28 mbedtls-3.6 wolfssl)
set(TLSRIG_STACKS "mbedtls-2.28;mbedtls-3.6;wolfssl" CACHE STRING
    "TLS stacks to build target images for (;-separated): mbedtls-2.28, mbedtls-3.6, wolfssl")
foreach(_stack ${TLSRIG_STACKS})
  if(NOT _stack IN_LIST TLSRIG_KNOWN_STACKS)
    message(FATAL_ERROR "TLSRIG_STACKS: unknown stack '${_stack}' (known: ${TLSRIG_KNOWN_STACKS})")
  endif()
endforeach()
if(NOT "mbedtls-2.28" IN_LIST TLSRIG_STACKS)
  # The self-tests, benchmarks and the default run stack use the host's 2.28 release.
  message(FATAL_ERROR "TLSRIG_STACKS must contain mbedtls-2.28 (the default stack)")
endif()
set(MBEDTLS_SOURCE_DIR "$ENV{MBEDTLS_SOURCE_DIR}"
    CACHE PATH "Unpacked mbedTLS 2.28 source for target builds (empty: fetch Debian's source package)")
set(MBEDTLS36_SOURCE_DIR "$ENV{MBEDTLS36_SOURCE_DIR}"
    CACHE PATH "Unpacked mbedTLS 3.6 source for target builds (empty: fetch Debian's next release's source package)")
if(NOT DEFINED TLSRIG_CACHE_DIR)
  set(TLSRIG_CACHE_DIR ${_tlsrig_repo_root}/.cache)
endif()

# The MBEDTLS_VERSION_STRING of a tree: 2.x in version.h, 3.x in build_info.h.
function(_tlsrig_mbedtls_tree_version dir out)
  set(_line "")
  foreach(_h version.h build_info.h)
    if(NOT _line AND EXISTS ${dir}/include/mbedtls/${_h})
      file(STRINGS ${dir}/include/mbedtls/${_h} _line REGEX "^#define[ \t]+MBEDTLS_VERSION_STRING[ \t]")
    endif()
  endforeach()
  string(REGEX REPLACE ".*\"(.*)\".*" "\\1" _v "${_line}")
  set(${out} "${_v}" PARENT_SCOPE)
endfunction()

# Resolves one stack's source tree through ci/fetch-tls-source.sh (which validates an explicit
# tree too: include/mbedtls/, library/, version).
function(_tlsrig_mbedtls_resolve stack var)
  if(${var})
    set(_env ${var}=${${var}})
  else()
    # The script reads $<var>; an empty cache variable must win over the environment.
    set(_env --unset=${var})
  endif()
  execute_process(
    COMMAND ${CMAKE_COMMAND} -E env ${_env} TLSRIG_CACHE_DIR=${TLSRIG_CACHE_DIR}
            bash ${_tlsrig_repo_root}/ci/fetch-tls-source.sh --stack ${stack}
    OUTPUT_VARIABLE _dir
    OUTPUT_STRIP_TRAILING_WHITESPACE
    RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0 OR NOT IS_DIRECTORY "${_dir}/library")
    message(FATAL_ERROR
      "No mbedTLS source for stack ${stack} (ci/fetch-tls-source.sh --stack ${stack} failed, see above).\n"
      "Set -D${var}=<unpacked mbedTLS of that release> and configure again, or leave the stack "
      "out of TLSRIG_STACKS.")
  endif()
  _tlsrig_mbedtls_tree_version(${_dir} _version)
  message(STATUS "mbedTLS ${_version} source for targets (stack ${stack}): ${_dir}")
  set_property(GLOBAL PROPERTY TLSRIG_MBEDTLS_SOURCE_DIR_${stack} ${_dir})
  set_property(GLOBAL PROPERTY TLSRIG_MBEDTLS_VERSION_${stack} ${_version})
  set(${var} ${_dir} PARENT_SCOPE)
endfunction()

_tlsrig_mbedtls_resolve(mbedtls-2.28 MBEDTLS_SOURCE_DIR)
get_property(TLSRIG_MBEDTLS_SOURCE_VERSION GLOBAL PROPERTY TLSRIG_MBEDTLS_VERSION_mbedtls-2.28)
set_property(GLOBAL PROPERTY TLSRIG_MBEDTLS_SOURCE_DIR ${MBEDTLS_SOURCE_DIR})
if("mbedtls-3.6" IN_LIST TLSRIG_STACKS)
  _tlsrig_mbedtls_resolve(mbedtls-3.6 MBEDTLS36_SOURCE_DIR)
endif()

# Debug information for the TLS libraries we build from source (mbedTLS, wolfSSL): on by
# default (stepping into mbedTLS on a board with gdb); CI turns it off, about a tenth of
# their compile time (ci/test.sh, docs/ci.md). Our own code keeps its -g.
option(TLSRIG_THIRD_PARTY_DEBUG_INFO "Debug information in the TLS libraries built from source" ON)
function(tlsrig_third_party_flags name)
  if(NOT TLSRIG_THIRD_PARTY_DEBUG_INFO)
    target_compile_options(${name} PRIVATE -g0)
  endif()
endfunction()

function(tlsrig_add_mbedtls name)
  cmake_parse_arguments(ARG "" "CONFIG;STACK" "" ${ARGN})
  if(NOT ARG_CONFIG OR NOT EXISTS ${ARG_CONFIG})
    message(FATAL_ERROR "tlsrig_add_mbedtls(${name}): CONFIG header '${ARG_CONFIG}' not found")
  endif()
  if(NOT ARG_STACK)
    set(ARG_STACK mbedtls-2.28)
  endif()
  get_property(src GLOBAL PROPERTY TLSRIG_MBEDTLS_SOURCE_DIR_${ARG_STACK})
  if(NOT src)
    message(FATAL_ERROR "tlsrig_add_mbedtls(${name}): stack ${ARG_STACK} is not in TLSRIG_STACKS")
  endif()
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
  tlsrig_third_party_flags(${name})
endfunction()
