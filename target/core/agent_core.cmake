# Repository root: the top-level build's source dir, or what the cross
# sub-build (target/cross) passes in.
if(NOT DEFINED TLSRIG_ROOT)
  set(TLSRIG_ROOT ${CMAKE_SOURCE_DIR})
endif()

# The portable agent core is compiled once per image, because its code sees
# the image's mbedTLS configuration (TLSRIG_AGENT_PORTABLE_SOURCES below, which see none,
# once per toolchain). Ports call tlsrig_agent_image().
set(TLSRIG_AGENT_CORE_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/agent.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_hello.c
  ${CMAKE_CURRENT_LIST_DIR}/hello_board_facts.c
  ${CMAKE_CURRENT_LIST_DIR}/selftest_wire.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_handshake.c
  ${CMAKE_CURRENT_LIST_DIR}/hs_settings.c
  ${CMAKE_CURRENT_LIST_DIR}/ctrl_request.c
  ${CMAKE_CURRENT_LIST_DIR}/tunnel_bio.c
  ${CMAKE_CURRENT_LIST_DIR}/tunnel_rx.c
  ${CMAKE_CURRENT_LIST_DIR}/debug_log.c
  ${CMAKE_CURRENT_LIST_DIR}/debug_wrap.c
  ${CMAKE_CURRENT_LIST_DIR}/log_encoder.c
  ${CMAKE_CURRENT_LIST_DIR}/log_msg_args.c
  ${CMAKE_CURRENT_LIST_DIR}/tls_platform.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_entropy.c
  ${CMAKE_CURRENT_LIST_DIR}/host_seed.c
  ${CMAKE_CURRENT_LIST_DIR}/port_defaults.c
  ${CMAKE_CURRENT_LIST_DIR}/prim_stats.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_selftest.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_bench.c
)
file(GLOB TLSRIG_LINK_SOURCES ${TLSRIG_ROOT}/common/link/*.c)
# The sources that see no image setting (no TLS library header, no TLSRIG_* or port define):
# the link, the TLV and panic-record codecs, the log format, the byte ring. They are compiled
# once per toolchain into tlsrig_agent_portable, which every image links (and whose files its
# build id still covers), instead of once per image.
set(TLSRIG_AGENT_PORTABLE_SOURCES ${TLSRIG_LINK_SOURCES}
  ${TLSRIG_ROOT}/common/proto/tlv.c
  ${TLSRIG_ROOT}/common/proto/panic_record.c
  ${TLSRIG_ROOT}/common/proto/log_fmt.c
  ${CMAKE_CURRENT_LIST_DIR}/byte_ring.c)
file(GLOB TLSRIG_SELFTEST_SOURCES ${TLSRIG_ROOT}/target/crypto/selftest/*.c)
list(APPEND TLSRIG_AGENT_CORE_SOURCES ${TLSRIG_SELFTEST_SOURCES})
set(TLSRIG_AGENT_CORE_DIR ${CMAKE_CURRENT_LIST_DIR})
# issue 18 wolfagent: the core of a wolfSSL image (STACK wolfssl): the same command loop,
# link, tunnel, log, seed and entropy code; HELLO, HANDSHAKE and the platform glue from
# core/wolfssl/; self-tests over wolfCrypt (linked by the port), no benchmarks, no mbedTLS
# counters or compact log wraps.
set(TLSRIG_AGENT_CORE_SOURCES_WOLFSSL
  ${CMAKE_CURRENT_LIST_DIR}/agent.c
  ${CMAKE_CURRENT_LIST_DIR}/hs_settings.c
  ${CMAKE_CURRENT_LIST_DIR}/ctrl_request.c
  ${CMAKE_CURRENT_LIST_DIR}/tunnel_bio.c
  ${CMAKE_CURRENT_LIST_DIR}/tunnel_rx.c
  ${CMAKE_CURRENT_LIST_DIR}/debug_log.c
  ${CMAKE_CURRENT_LIST_DIR}/log_encoder.c
  ${CMAKE_CURRENT_LIST_DIR}/log_msg_args.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_entropy.c
  ${CMAKE_CURRENT_LIST_DIR}/host_seed.c
  ${CMAKE_CURRENT_LIST_DIR}/port_defaults.c
  ${CMAKE_CURRENT_LIST_DIR}/wolfssl/cmd_hello_wolfssl.c
  ${CMAKE_CURRENT_LIST_DIR}/hello_board_facts.c
  ${CMAKE_CURRENT_LIST_DIR}/selftest_wire.c
  ${CMAKE_CURRENT_LIST_DIR}/wolfssl/cmd_handshake_wolfssl.c
  ${CMAKE_CURRENT_LIST_DIR}/wolfssl/cmd_selftest_wolfssl.c
  ${CMAKE_CURRENT_LIST_DIR}/wolfssl/wolfssl_hw.c
  ${CMAKE_CURRENT_LIST_DIR}/wolfssl/wolfssl_platform.c
  ${CMAKE_CURRENT_LIST_DIR}/wolfssl/wolfssl_io.c
  ${CMAKE_CURRENT_LIST_DIR}/wolfssl/wolfssl_settings.c
)
# Per-primitive counters (prim_stats.c) sit on these symbols via the linker.
# mbedTLS 3.x dropped the _ret suffix of the hash functions (the 2.28 names were the _ret ones).
set(TLSRIG_PRIM_WRAPS mbedtls_gcm_crypt_and_tag mbedtls_gcm_auth_decrypt mbedtls_aes_crypt_cbc
    mbedtls_aes_crypt_ecb mbedtls_sha256_update_ret mbedtls_sha1_update_ret
    mbedtls_sha512_update_ret mbedtls_ecp_mul_restartable mbedtls_rsa_public)
set(TLSRIG_PRIM_WRAPS_M36 mbedtls_gcm_crypt_and_tag mbedtls_gcm_auth_decrypt mbedtls_aes_crypt_cbc
    mbedtls_aes_crypt_ecb mbedtls_sha256_update mbedtls_sha1_update mbedtls_sha512_update
    mbedtls_ecp_mul_restartable mbedtls_rsa_public)
# Compact debug logs (debug_wrap.c) sit on mbedTLS 2.28's debug entry points
# the same way. Other releases (3.x: the mbedtls-3.6 stack's images) keep the text path only:
# no wraps.
set(TLSRIG_LOG_WRAPS mbedtls_debug_set_threshold mbedtls_debug_print_msg mbedtls_debug_print_ret
    mbedtls_debug_print_buf mbedtls_debug_print_mpi mbedtls_debug_print_ecp
    mbedtls_debug_print_crt mbedtls_debug_printf_ecdh)
if(TLSRIG_MBEDTLS_SOURCE_VERSION MATCHES "^2\\.28\\.")
  set(TLSRIG_LOG_COMPACT ON)
else()
  set(TLSRIG_LOG_COMPACT OFF)
endif()

# tlsrig_agent_image(<exe> BACKEND sw|hw CONFIG <profile> [STACK mbedtls-2.28|mbedtls-3.6]
#                    MBEDTLS <lib> SOURCES <port sources>)
# Builds one image and writes <exe>.buildid next to it: a hash of every input
# that shapes the image, which the agent reports in HELLO and the host checks.
function(tlsrig_agent_image exe)
  cmake_parse_arguments(A "" "BACKEND;CONFIG;MBEDTLS;STACK" "SOURCES;DEFINES;HASH_INPUTS" ${ARGN})
  if(NOT A_STACK)
    set(A_STACK mbedtls-2.28)
  endif()
  set(_core ${TLSRIG_AGENT_CORE_SOURCES})
  if(A_STACK STREQUAL "mbedtls-3.6")
    set(_config_dir ${TLSRIG_ROOT}/target/config/mbedtls-3.6)
    set(_wraps ${TLSRIG_PRIM_WRAPS_M36})
    set(_tag ${A_BACKEND}-${A_CONFIG}-${A_STACK})
  elseif(A_STACK STREQUAL "wolfssl")
    # MBEDTLS names the wolfSSL library here, plus the heap allocator (wolfssl_platform.c).
    set(_config_dir ${TLSRIG_ROOT}/target/config/wolfssl)
    set(_wraps "")
    set(_tag ${A_BACKEND}-${A_CONFIG}-${A_STACK})
    set(_core ${TLSRIG_AGENT_CORE_SOURCES_WOLFSSL})
  else()
    set(_config_dir ${TLSRIG_ROOT}/target/config)
    set(_wraps ${TLSRIG_PRIM_WRAPS})
    set(_tag ${A_BACKEND}-${A_CONFIG}) # unchanged: 2.28 build ids stay what they were
  endif()
  set(_all ${_core} ${A_SOURCES})
  # issue 18 wolfqemu: the build's list of image targets (target/CMakeLists.txt writes it).
  set_property(GLOBAL APPEND PROPERTY TLSRIG_IMAGE_TARGETS ${exe})
  file(GLOB _hdrs ${TLSRIG_AGENT_CORE_DIR}/*.h ${TLSRIG_AGENT_CORE_DIR}/wolfssl/*.h
       ${TLSRIG_ROOT}/target/compat/*.h
       ${TLSRIG_ROOT}/common/link/*.h
       ${TLSRIG_ROOT}/common/proto/*.h ${_config_dir}/${A_CONFIG}/*.h
       ${_config_dir}/full/*.h ${TLSRIG_ROOT}/target/crypto/selftest/*.h)
  list(APPEND _hdrs ${A_HASH_INPUTS})
  # A configuration from outside target/config (tlsrig run --config-file: target/userconfig)
  # names its header, so the build id covers it.
  if(DEFINED TLSRIG_CONFIG_HEADER_${A_CONFIG})
    list(APPEND _hdrs ${TLSRIG_CONFIG_HEADER_${A_CONFIG}})
  endif()
  set(_gen ${CMAKE_CURRENT_BINARY_DIR}/${exe}_gen)
  # The input list goes through a file: a CMake list on a command line splits at ';'.
  string(REPLACE ";" "\n" _inputs "${_all};${TLSRIG_AGENT_PORTABLE_SOURCES};${_hdrs}")
  file(WRITE ${_gen}/inputs.txt "${_inputs}\n")
  add_custom_command(
    OUTPUT ${_gen}/build_id.h
    COMMAND ${CMAKE_COMMAND} -DOUT=${_gen}/build_id.h -DTAG=${_tag}
            -DINPUTS=${_gen}/inputs.txt -P ${TLSRIG_ROOT}/cmake/build_id.cmake
    DEPENDS ${_all} ${TLSRIG_AGENT_PORTABLE_SOURCES} ${_hdrs} ${TLSRIG_ROOT}/cmake/build_id.cmake
    COMMENT "build id for ${exe}")
  add_executable(${exe} ${_all} ${_gen}/build_id.h)
  target_include_directories(${exe} PRIVATE ${TLSRIG_AGENT_CORE_DIR} ${TLSRIG_ROOT}/target/compat
                             ${TLSRIG_ROOT}/common/link
                             ${TLSRIG_ROOT}/common/proto ${TLSRIG_ROOT}/target/crypto/selftest ${_gen})
  if(A_STACK STREQUAL "wolfssl")
    target_include_directories(${exe} PRIVATE ${TLSRIG_AGENT_CORE_DIR}/wolfssl)
    target_compile_definitions(${exe} PRIVATE TLSRIG_STACK_WOLFSSL)
    # issue 18 wolfint: hw images give each handshake's CTX the crypto callback device.
    if(A_BACKEND STREQUAL "hw")
      target_compile_definitions(${exe} PRIVATE TLSRIG_WOLFSSL_HW)
    endif()
  endif()
  foreach(_sym ${_wraps})
    target_link_options(${exe} PRIVATE "LINKER:--wrap=${_sym}")
  endforeach()
  if(TLSRIG_LOG_COMPACT AND A_STACK STREQUAL "mbedtls-2.28")
    foreach(_sym ${TLSRIG_LOG_WRAPS})
      target_link_options(${exe} PRIVATE "LINKER:--wrap=${_sym}")
    endforeach()
    target_compile_definitions(${exe} PRIVATE TLSRIG_LOG_COMPACT)
  endif()
  # TLSRIG_BACKEND_HW: the image's backend, for the port (the sim's entropy and faults). Not
  # TLSRIG_PERIPH_SIM: a wolfSSL library carries the models for both backends.
  if(A_BACKEND STREQUAL "hw")
    target_compile_definitions(${exe} PRIVATE TLSRIG_BACKEND_HW)
  endif()
  target_compile_definitions(${exe} PRIVATE TLSRIG_BACKEND="${A_BACKEND}"
                             TLSRIG_CONFIG_PROFILE="${A_CONFIG}" TLSRIG_STACK="${A_STACK}" TLSRIG_HAVE_BUILD_ID_H ${A_DEFINES})
  if(NOT TARGET tlsrig_agent_portable)
    add_library(tlsrig_agent_portable STATIC ${TLSRIG_AGENT_PORTABLE_SOURCES})
    target_include_directories(tlsrig_agent_portable PUBLIC ${TLSRIG_AGENT_CORE_DIR}
                               ${TLSRIG_ROOT}/common/link ${TLSRIG_ROOT}/common/proto)
    tlsrig_strict(tlsrig_agent_portable)
  endif()
  target_link_libraries(${exe} PRIVATE ${A_MBEDTLS} tlsrig_agent_portable)
  tlsrig_strict(${exe})
  # A new stamp script relinks every image once, so each gets its list.
  set_target_properties(${exe} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/images
                        LINK_DEPENDS ${TLSRIG_ROOT}/cmake/image_stamp.cmake)
  # Then <image>.inputs, last: the runner's up-to-date check (cmake/image_stamp.cmake).
  add_custom_command(TARGET ${exe} POST_BUILD
    COMMAND ${CMAKE_COMMAND} -E copy ${_gen}/build_id.txt $<TARGET_FILE:${exe}>.buildid
    COMMAND ${CMAKE_COMMAND} -DIMAGE=$<TARGET_FILE:${exe}>
            -DLINK_TXT=${CMAKE_CURRENT_BINARY_DIR}/CMakeFiles/${exe}.dir/link.txt
            -DOBJ_ROOT=${CMAKE_CURRENT_BINARY_DIR} -DTOP=${CMAKE_BINARY_DIR}
            -P ${TLSRIG_ROOT}/cmake/image_stamp.cmake)
endfunction()
