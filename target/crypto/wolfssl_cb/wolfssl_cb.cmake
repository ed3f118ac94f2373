# wolfSSL crypto callback device over the STM32F4 CRYP/HASH/RNG drivers (tlsrig_wolf_hw.h).
#
# tlsrig_wolfssl_use_hw(<wolfssl lib> SIM|CM4)
#   Compiles the device and the drivers it uses (target/crypto/hw, the same files the mbedTLS
#   hw backend compiles) into <wolfssl lib>, whose user_settings.h must include
#   tlsrig_wolf_hw_settings.h (this directory is put on its include path). SIM routes register
#   accesses to the sim port's models (links tlsrig_periph_sim, defines TLSRIG_PERIPH_SIM); CM4
#   makes them volatile accesses at the real addresses. Production images add
#   TLSRIG_HW_NO_FAULTS to compile the driver-bug switches out, as for mbedTLS.
#
# tlsrig_wolfssl_add_crypto_selftest(<name> WOLFSSL <wolfssl lib>)
#   Static library <name>: crypto_selftest_run() (target/crypto/selftest: runner, RNG check,
#   vectors) with the primitive checks written against wolfCrypt's API and the device's devId,
#   for the agent's SELFTEST on wolfSSL hw images.
include_guard(GLOBAL)

set(TLSRIG_WOLFSSL_CB_DIR ${CMAKE_CURRENT_LIST_DIR} CACHE INTERNAL "")
get_filename_component(_tlsrig_wcb_root ${CMAKE_CURRENT_LIST_DIR}/../../.. ABSOLUTE)
set(TLSRIG_WOLFSSL_CB_ROOT ${_tlsrig_wcb_root} CACHE INTERNAL "")
set(TLSRIG_WOLFSSL_CB_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/wolf_hw_device.c
  ${CMAKE_CURRENT_LIST_DIR}/wolf_hw_cipher.c
  ${CMAKE_CURRENT_LIST_DIR}/wolf_hw_hash.c
  ${CMAKE_CURRENT_LIST_DIR}/wolf_hw_seed.c
  ${CMAKE_CURRENT_LIST_DIR}/wolf_hw_stats.c CACHE INTERNAL "")
# The engine drivers only: the mbedTLS ALT files (aes_alt.c, ...) need mbedTLS's headers.
set(TLSRIG_WOLFSSL_CB_DRIVERS
  ${_tlsrig_wcb_root}/target/crypto/hw/cryp_hw.c
  ${_tlsrig_wcb_root}/target/crypto/hw/gcm_hw.c
  ${_tlsrig_wcb_root}/target/crypto/hw/hash_hw.c
  ${_tlsrig_wcb_root}/target/crypto/hw/rng_hw.c
  ${_tlsrig_wcb_root}/target/crypto/hw/hw_driver_fault.c CACHE INTERNAL "")

function(tlsrig_wolfssl_use_hw lib mode)
  if(NOT mode STREQUAL "SIM" AND NOT mode STREQUAL "CM4")
    message(FATAL_ERROR "tlsrig_wolfssl_use_hw(${lib} ${mode}): the mode is SIM or CM4")
  endif()
  set(_srcs ${TLSRIG_WOLFSSL_CB_SOURCES} ${TLSRIG_WOLFSSL_CB_DRIVERS})
  target_sources(${lib} PRIVATE ${_srcs})
  # Our code inside a third-party target: strict warnings on our files only.
  set_source_files_properties(${_srcs} TARGET_DIRECTORY ${lib}
    PROPERTIES COMPILE_OPTIONS "-Wall;-Wextra;-Werror;-Wshadow;-Wstrict-prototypes")
  target_include_directories(${lib} PUBLIC ${TLSRIG_WOLFSSL_CB_DIR})
  target_include_directories(${lib} PRIVATE ${TLSRIG_WOLFSSL_CB_ROOT}/target/crypto/hw
                                            ${TLSRIG_WOLFSSL_CB_ROOT}/common/proto)
  if(mode STREQUAL "SIM")
    if(NOT TARGET tlsrig_periph_sim)
      add_subdirectory(${TLSRIG_WOLFSSL_CB_ROOT}/target/port/sim/periph
                       ${CMAKE_BINARY_DIR}/target/port/sim/periph)
    endif()
    target_link_libraries(${lib} PUBLIC tlsrig_periph_sim)
    target_compile_definitions(${lib} PUBLIC TLSRIG_PERIPH_SIM)
  endif()
endfunction()

function(tlsrig_wolfssl_add_crypto_selftest name)
  cmake_parse_arguments(ARG "" "WOLFSSL" "" ${ARGN})
  set(st ${TLSRIG_WOLFSSL_CB_ROOT}/target/crypto/selftest)
  add_library(${name} STATIC
    ${st}/crypto_selftest.c ${st}/selftest_rng.c ${st}/selftest_vectors_cipher.c
    ${st}/selftest_vectors_sha.c
    ${TLSRIG_WOLFSSL_CB_DIR}/wolf_selftest_cipher.c ${TLSRIG_WOLFSSL_CB_DIR}/wolf_selftest_sha.c)
  tlsrig_strict(${name})
  target_include_directories(${name} PUBLIC ${st} ${TLSRIG_WOLFSSL_CB_DIR})
  target_link_libraries(${name} PUBLIC ${ARG_WOLFSSL})
endfunction()
