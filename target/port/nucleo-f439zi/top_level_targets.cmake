# Included by target/CMakeLists.txt after the tlsrig_cross external project:
# top-level targets tlsrig-agent-nucleo-f439zi-<sw|hw>-<profile>, so the
# runner's `cmake --build <build> --target <image>` builds just that image in
# the cross sub-build, which writes it (and its .bin/.hex/...) to <build>/images.
foreach(_cfg ${TLSRIG_BOARD_CONFIGS})
  foreach(_backend sw hw)
    set(_image tlsrig-agent-nucleo-f439zi-${_backend}-${_cfg})
    add_custom_target(${_image}
      COMMAND ${CMAKE_COMMAND} --build ${CMAKE_CURRENT_BINARY_DIR}/cross --target ${_image}
      DEPENDS tlsrig_cross-configure
      COMMENT "NUCLEO-F439ZI firmware ${_image}"
      USES_TERMINAL)
  endforeach()
endforeach()
