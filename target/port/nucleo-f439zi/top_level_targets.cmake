# Included by target/CMakeLists.txt after the tlsrig_cross external project:
# top-level targets tlsrig-agent-nucleo-f439zi-<sw|hw>-<profile>[-mbedtls-3.6|-wolfssl], so the
# runner's `cmake --build <build> --target <image>` builds just that image in
# the cross sub-build, which writes it (and its .bin/.hex/...) to <build>/images.
set(_images "")
foreach(_backend sw hw)
  foreach(_cfg ${TLSRIG_BOARD_CONFIGS})
    list(APPEND _images tlsrig-agent-nucleo-f439zi-${_backend}-${_cfg})
  endforeach()
  foreach(_cfg ${TLSRIG_BOARD_CONFIGS_M36})
    list(APPEND _images tlsrig-agent-nucleo-f439zi-${_backend}-${_cfg}-mbedtls-3.6)
  endforeach()
  foreach(_cfg ${TLSRIG_CROSS_CONFIGS_WOLFSSL})
    list(APPEND _images tlsrig-agent-nucleo-f439zi-${_backend}-${_cfg}-wolfssl)
  endforeach()
endforeach()
set_property(GLOBAL APPEND PROPERTY TLSRIG_IMAGE_TARGETS ${_images})
foreach(_image ${_images})
  add_custom_target(${_image}
    COMMAND ${CMAKE_COMMAND} --build ${CMAKE_CURRENT_BINARY_DIR}/cross --target ${_image}
    DEPENDS tlsrig_cross-configure
    COMMENT "NUCLEO-F439ZI firmware ${_image}"
    USES_TERMINAL)
endforeach()
