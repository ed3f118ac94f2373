# Hardware crypto backend (STM32F4 CRYP/HASH/RNG ALT drivers) for an mbedTLS library built by
# tlsrig_add_mbedtls() with a config that includes tlsrig_hw_config.h.
#
# tlsrig_mbedtls_use_hw(<mbedtls lib> [SIM])
#   Compiles the drivers into <mbedtls lib> (mbedTLS calls them, so they belong to the same
#   archive) and puts the ALT headers on its include path. SIM routes register accesses to the
#   sim port's models (links tlsrig_periph_sim, defines TLSRIG_PERIPH_SIM).
include_guard(GLOBAL)

# CACHE INTERNAL: include_guard(GLOBAL) skips this file in later directories, and plain
# variables would not reach them.
set(TLSRIG_HW_CRYPTO_DIR ${CMAKE_CURRENT_LIST_DIR} CACHE INTERNAL "")
# The repository root from here: the cross sub-build's PROJECT_SOURCE_DIR is target/cross.
get_filename_component(_tlsrig_hw_root ${CMAKE_CURRENT_LIST_DIR}/../../.. ABSOLUTE)
set(TLSRIG_HW_CRYPTO_ROOT ${_tlsrig_hw_root} CACHE INTERNAL "")
set(TLSRIG_HW_CRYPTO_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/aes_alt.c
  ${CMAKE_CURRENT_LIST_DIR}/gcm_alt.c
  ${CMAKE_CURRENT_LIST_DIR}/gcm_hw.c
  ${CMAKE_CURRENT_LIST_DIR}/sha256_alt.c
  ${CMAKE_CURRENT_LIST_DIR}/sha1_alt.c
  ${CMAKE_CURRENT_LIST_DIR}/cryp_hw.c
  ${CMAKE_CURRENT_LIST_DIR}/hash_hw.c
  ${CMAKE_CURRENT_LIST_DIR}/rng_hw.c
  ${CMAKE_CURRENT_LIST_DIR}/hw_driver_fault.c CACHE INTERNAL "")

function(tlsrig_mbedtls_use_hw lib)
  cmake_parse_arguments(ARG "SIM" "" "" ${ARGN})
  target_sources(${lib} PRIVATE ${TLSRIG_HW_CRYPTO_SOURCES})
  # Our code inside a third-party target: strict warnings on our files only.
  set_source_files_properties(${TLSRIG_HW_CRYPTO_SOURCES} TARGET_DIRECTORY ${lib}
    PROPERTIES COMPILE_OPTIONS "-Wall;-Wextra;-Werror;-Wshadow;-Wstrict-prototypes")
  target_include_directories(${lib} PUBLIC ${TLSRIG_HW_CRYPTO_DIR})
  # The fault names shared with the host (hw_driver_fault.c).
  target_include_directories(${lib} PRIVATE ${TLSRIG_HW_CRYPTO_ROOT}/common/proto
                                            ${TLSRIG_HW_CRYPTO_ROOT}/target/compat)
  if(ARG_SIM)
    if(NOT TARGET tlsrig_periph_sim)
      add_subdirectory(${TLSRIG_HW_CRYPTO_ROOT}/target/port/sim/periph
                       ${CMAKE_BINARY_DIR}/target/port/sim/periph)
    endif()
    target_link_libraries(${lib} PUBLIC tlsrig_periph_sim)
    target_compile_definitions(${lib} PUBLIC TLSRIG_PERIPH_SIM)
  endif()
endfunction()
