/* Driver-bug switches; see hw_driver_fault.h. */
#include "hw_driver_fault.h"

#include "fault_names.h"

#include <string.h>

#define FAULT_NAME(id, name) [id] = name,
static const char *const names[HW_DRIVER_FAULT_COUNT] = {TLSRIG_DRIVER_FAULTS(FAULT_NAME)};
#undef FAULT_NAME

#if defined(TLSRIG_HW_NO_FAULTS)
int hw_driver_fault_set(const char *name, unsigned every_n)
{
    (void)name;
    (void)every_n;
    return -1;
}

void hw_driver_fault_clear_all(void) {}

int hw_driver_fault_fires(hw_driver_fault_t fault)
{
    (void)fault;
    return 0;
}
#else
static unsigned every[HW_DRIVER_FAULT_COUNT];
static unsigned long events[HW_DRIVER_FAULT_COUNT];

int hw_driver_fault_set(const char *name, unsigned every_n)
{
    for (unsigned i = 0; i < HW_DRIVER_FAULT_COUNT; i++) {
        if (name && strcmp(name, names[i]) == 0) {
            every[i] = every_n;
            events[i] = 0;
            return 0;
        }
    }
    return -1;
}

void hw_driver_fault_clear_all(void)
{
    memset(every, 0, sizeof(every));
    memset(events, 0, sizeof(events));
}

int hw_driver_fault_fires(hw_driver_fault_t fault)
{
    if (fault >= HW_DRIVER_FAULT_COUNT || every[fault] == 0)
        return 0;
    return ++events[fault] % every[fault] == 0;
}
#endif

const char *hw_driver_fault_name(size_t index)
{
    return index < HW_DRIVER_FAULT_COUNT ? names[index] : NULL;
}
