/*
 * Compiled by the test abi.header_c99 with -std=c99 -pedantic -Werror -Wall -Wextra
 * -Wmissing-prototypes -Wstrict-prototypes: the public header must be strict C99, and a plugin's
 * entry definition must match the declaration it provides.
 */
#include <mcphost/plugin.h>

MCPH_EXPORT const mcph_plugin* mcph_plugin_entry_v1(uint32_t host_abi_major,
                                                    uint32_t host_abi_minor) {
    (void)host_abi_major;
    (void)host_abi_minor;
    return NULL;
}
