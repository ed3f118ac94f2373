# Writes <build>/userconfig/context.json at configure time: what `tlsrig run --config-file`
# needs to check a user's mbedTLS configuration header and to configure target/userconfig
# for it (the compiler, build type and sanitizer flags of this build, each stack's mbedTLS
# source, and whether this build has the Cortex-M toolchain for the QEMU and board images).
# Read by host/userconfig/user_context.c.
function(_tlsrig_json_str out value)
  string(REPLACE "\\" "\\\\" value "${value}")
  string(REPLACE "\"" "\\\"" value "${value}")
  set(${out} "\"${value}\"" PARENT_SCOPE)
endfunction()

set(_stacks "")
foreach(_stack mbedtls-2.28 mbedtls-3.6)
  get_property(_src GLOBAL PROPERTY TLSRIG_MBEDTLS_SOURCE_DIR_${_stack})
  get_property(_ver GLOBAL PROPERTY TLSRIG_MBEDTLS_VERSION_${_stack})
  if(_src)
    _tlsrig_json_str(_s "${_src}")
    _tlsrig_json_str(_v "${_ver}")
    if(_stacks)
      string(APPEND _stacks ",")
    endif()
    string(APPEND _stacks "\n    \"${_stack}\": {\"source_dir\": ${_s}, \"version\": ${_v}}")
  endif()
endforeach()
if(TLSRIG_SANITIZE)
  set(_san true)
else()
  set(_san false)
endif()
_tlsrig_json_str(_root "${PROJECT_SOURCE_DIR}")
_tlsrig_json_str(_cc "${CMAKE_C_COMPILER}")
_tlsrig_json_str(_bt "${CMAKE_BUILD_TYPE}")
_tlsrig_json_str(_cache "${TLSRIG_CACHE_DIR}")
# Cortex-M user images (qemu-f405, nucleo-f439zi) need what the cross sub-build needs: the
# toolchain file and arm-none-eabi-gcc, found at configure time (TLSRIG_CROSS=ON).
if(TLSRIG_CROSS AND TLSRIG_ARM_GCC)
  set(_cross_on true)
  _tlsrig_json_str(_arm_gcc "${TLSRIG_ARM_GCC}")
else()
  set(_cross_on false)
  _tlsrig_json_str(_arm_gcc "")
endif()
_tlsrig_json_str(_toolchain "${PROJECT_SOURCE_DIR}/cmake/arm-none-eabi.cmake")
_tlsrig_json_str(_baud "${TLSRIG_NUCLEO_BAUD}")
# How this build compiles: the user's images are built alike (debug information in the TLS
# libraries; progress lines, "" when CMake's default).
if(TLSRIG_THIRD_PARTY_DEBUG_INFO)
  set(_tp_debug true)
else()
  set(_tp_debug false)
endif()
set(_rule_messages "")
if(DEFINED CMAKE_RULE_MESSAGES)
  if(CMAKE_RULE_MESSAGES)
    set(_rule_messages ON)
  else()
    set(_rule_messages OFF)
  endif()
endif()
file(CONFIGURE OUTPUT ${CMAKE_BINARY_DIR}/userconfig/context.json CONTENT
"{
  \"root\": ${_root},
  \"c_compiler\": ${_cc},
  \"build_type\": ${_bt},
  \"sanitize\": ${_san},
  \"third_party_debug_info\": ${_tp_debug},
  \"rule_messages\": \"${_rule_messages}\",
  \"cache_dir\": ${_cache},
  \"cross\": {\"enabled\": ${_cross_on}, \"arm_gcc\": ${_arm_gcc}, \"toolchain_file\": ${_toolchain}, \"nucleo_baud\": ${_baud}},
  \"stacks\": {${_stacks}
  }
}
")
