# tlsrig_add_crypto_selftest(<name> MBEDTLS <mbedtls lib>)
#   Static library <name>: the known-answer self-tests compiled against one mbedTLS build
#   (they use only the mbedTLS API, so the same sources serve sw and hw images).
include_guard(GLOBAL)

set(TLSRIG_CRYPTO_SELFTEST_DIR ${CMAKE_CURRENT_LIST_DIR} CACHE INTERNAL "")

function(tlsrig_add_crypto_selftest name)
  cmake_parse_arguments(ARG "" "MBEDTLS" "" ${ARGN})
  set(d ${TLSRIG_CRYPTO_SELFTEST_DIR})
  add_library(${name} STATIC
    ${d}/crypto_selftest.c ${d}/selftest_aes.c ${d}/selftest_gcm.c ${d}/selftest_sha.c
    ${d}/selftest_rng.c ${d}/selftest_vectors_cipher.c ${d}/selftest_vectors_sha.c)
  tlsrig_strict(${name})
  # mbedtls_compat.h: the 2.28/3.6 differences (target/compat).
  target_include_directories(${name} PUBLIC ${d} ${d}/../../compat)
  target_link_libraries(${name} PUBLIC ${ARG_MBEDTLS})
endfunction()
