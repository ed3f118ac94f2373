# Toolchain file: bare-metal Cortex-M4F (STM32F4) with arm-none-eabi-gcc and newlib-nano.
# Used by the cross sub-build (target/cross/); usable on its own with -DCMAKE_TOOLCHAIN_FILE.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)

find_program(TLSRIG_ARM_GCC arm-none-eabi-gcc REQUIRED)
get_filename_component(_arm_bin ${TLSRIG_ARM_GCC} DIRECTORY)
set(CMAKE_C_COMPILER ${_arm_bin}/arm-none-eabi-gcc)
set(CMAKE_ASM_COMPILER ${_arm_bin}/arm-none-eabi-gcc)
set(CMAKE_AR ${_arm_bin}/arm-none-eabi-ar CACHE FILEPATH "")
set(CMAKE_RANLIB ${_arm_bin}/arm-none-eabi-ranlib CACHE FILEPATH "")
set(CMAKE_OBJCOPY ${_arm_bin}/arm-none-eabi-objcopy CACHE FILEPATH "")
set(CMAKE_SIZE ${_arm_bin}/arm-none-eabi-size CACHE FILEPATH "")

# No host executables can run: let CMake's compiler checks build a static library instead.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(TLSRIG_CM4_FLAGS "-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16")
# Sections per function/object so the linker can drop what an image does not use.
set(CMAKE_C_FLAGS_INIT "${TLSRIG_CM4_FLAGS} -ffunction-sections -fdata-sections")
set(CMAKE_ASM_FLAGS_INIT "${TLSRIG_CM4_FLAGS} -x assembler-with-cpp")
set(CMAKE_EXE_LINKER_FLAGS_INIT "${TLSRIG_CM4_FLAGS} --specs=nano.specs -Wl,--gc-sections")

# Headers and libraries come from the cross toolchain only; programs from the host.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
