/* QEMU netduinoplus2 target: the flasher (flasher_qemu) and the host seed
 * its agent needs after every start (QEMU's RNG reads 0). */
#ifndef TLSRIG_FLASH_QEMU_H
#define TLSRIG_FLASH_QEMU_H

#include <stddef.h>
#include <stdint.h>

#include "flasher.h"
#include "host_link.h"

extern const flasher_t flasher_qemu;

/* Exit status of the firmware through semihosting (target/port/qemu-f405). */
#define QEMU_EXIT_FAULT 3

/* Send CTRL_ENTROPY: a seed derived from the build id, so two runs of the
 * same image are identical (test-only: emulation never protects secrets).
 * 0, or -1 with err. */
int qemu_seed_agent(host_link_t *hl, const char *build_id, uint32_t timeout_ms, char *err,
                    size_t errlen);

/* The qemu-system-arm command line for an image (argv, NULL-terminated,
 * pointers into storage). Exposed for tests and docs. */
size_t qemu_command(const char *machine, const char *image, const char *socket_path,
                    const char *argv[], size_t max_args);

#endif
