# Board flashers' engines (sector maps, watchdog, stlink sequencing, DfuSe,
# AN3155): no hardware library, so tests run them against models.
add_library(tlsrig_flash_engines STATIC flash_map.c flash_image.c flash_clock.c
  flash_watchdog.c stlink_flash.c dfuse.c an3155.c uart_flash.c)
target_include_directories(tlsrig_flash_engines PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}
  ${CMAKE_SOURCE_DIR}/host/transport)
target_link_libraries(tlsrig_flash_engines PUBLIC tlsrig_board tlsrig_util)
tlsrig_strict(tlsrig_flash_engines)

# The board flashers on the hardware libraries: libstlink, libusb.
pkg_check_modules(STLINK REQUIRED IMPORTED_TARGET stlink)
pkg_check_modules(LIBUSB REQUIRED IMPORTED_TARGET libusb-1.0)
add_library(tlsrig_board_flashers STATIC stlink_libstlink.c dfu_libusb.c uart_serial.c)
target_link_libraries(tlsrig_board_flashers PUBLIC tlsrig_flash_engines PkgConfig::STLINK
  PkgConfig::LIBUSB)
tlsrig_strict(tlsrig_board_flashers)

# The uart flasher's port is the serial transport (host/transport).
target_link_libraries(tlsrig_board_flashers PUBLIC tlsrig_transport)
