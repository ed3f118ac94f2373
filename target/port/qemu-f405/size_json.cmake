# cmake -DELF=<image> -DSIZE_TOOL=<arm-none-eabi-size> -DHEAP=<bytes> -P size_json.cmake
# Writes <image>.size.json: flash and RAM use per region, from `size -A`.
execute_process(COMMAND ${SIZE_TOOL} -A -d ${ELF} OUTPUT_VARIABLE _out RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "${SIZE_TOOL} failed on ${ELF}")
endif()
set(_flash 0)
set(_sram 0)
set(_ccm 0)
set(_sections "")
string(REPLACE "\n" ";" _lines "${_out}")
foreach(_line ${_lines})
  if(_line MATCHES "^(\\.[A-Za-z0-9_.]+) +([0-9]+) +([0-9]+)")
    set(_name ${CMAKE_MATCH_1})
    set(_bytes ${CMAKE_MATCH_2})
    set(_addr ${CMAKE_MATCH_3})
    # Regions by address: 0x08000000 flash, 0x20000000 SRAM, 0x20020000 heap region (CCM on silicon).
    if(_addr GREATER_EQUAL 134217728 AND _addr LESS 135266304)
      math(EXPR _flash "${_flash} + ${_bytes}")
    elseif(_addr GREATER_EQUAL 536870912 AND _addr LESS 537001984)
      math(EXPR _sram "${_sram} + ${_bytes}")
    elseif(_addr GREATER_EQUAL 537001984 AND _addr LESS 537067520)
      math(EXPR _ccm "${_ccm} + ${_bytes}")
    else()
      continue()
    endif()
    # .data is in SRAM and its initial values in flash.
    if(_name STREQUAL ".data")
      math(EXPR _flash "${_flash} + ${_bytes}")
    endif()
    string(APPEND _sections "${_sep}\"${_name}\": ${_bytes}")
    set(_sep ", ")
  endif()
endforeach()
get_filename_component(_image ${ELF} NAME)
file(WRITE ${ELF}.size.json
  "{\"image\": \"${_image}\", \"flash_bytes\": ${_flash}, \"flash_total\": 1048576, "
  "\"sram_bytes\": ${_sram}, \"sram_total\": 131072, \"stack_reserved\": 16384, "
  "\"ccm_bytes\": ${_ccm}, \"ccm_total\": 65536, \"heap_bytes\": ${HEAP}, "
  "\"sections\": {${_sections}}}\n")
message(STATUS "${_image}: flash ${_flash} B, SRAM ${_sram} B (+16384 stack), CCM ${_ccm} B")
