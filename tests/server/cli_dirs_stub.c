/* cli_source_dir/cli_build_dir for running cmd_serve outside the tlsrig binary. */
#include <stdlib.h>

#include "commands.h"

const char *cli_source_dir(void)
{
    const char *e = getenv("TLSRIG_SOURCE_DIR");
    return e ? e : ".";
}

const char *cli_build_dir(void)
{
    const char *e = getenv("TLSRIG_BUILD_DIR");
    return e ? e : ".";
}
