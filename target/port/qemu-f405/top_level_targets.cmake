# Included by target/CMakeLists.txt after the tlsrig_cross external project:
# top-level targets tlsrig-agent-qemu-f405-sw-<profile>[-mbedtls-3.6|-wolfssl], so the runner's
# `cmake --build <build> --target tlsrig-agent-qemu-f405-sw-full` builds just
# that image in the cross sub-build (<build>/target/cross), which writes it to
# <build>/images.
ExternalProject_Add_StepTargets(tlsrig_cross configure)
set(_images "")
foreach(_cfg ${TLSRIG_CROSS_CONFIGS})
  list(APPEND _images tlsrig-agent-qemu-f405-sw-${_cfg})
endforeach()
foreach(_cfg ${TLSRIG_SIM_CONFIGS_M36})
  list(APPEND _images tlsrig-agent-qemu-f405-sw-${_cfg}-mbedtls-3.6)
endforeach()
foreach(_cfg ${TLSRIG_CROSS_CONFIGS_WOLFSSL})
  list(APPEND _images tlsrig-agent-qemu-f405-sw-${_cfg}-wolfssl)
endforeach()
set_property(GLOBAL APPEND PROPERTY TLSRIG_IMAGE_TARGETS ${_images})
foreach(_image ${_images})
  add_custom_target(${_image}
    COMMAND ${CMAKE_COMMAND} --build ${CMAKE_CURRENT_BINARY_DIR}/cross --target ${_image}
    DEPENDS tlsrig_cross-configure
    COMMENT "QEMU firmware ${_image}"
    USES_TERMINAL)
endforeach()
