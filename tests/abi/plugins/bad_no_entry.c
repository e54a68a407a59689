/*
 * A shared object with no mcph_plugin_entry_v1: it exports the entry of a major version this
 * host does not know, which the host must treat as "not a plugin for me", never misread.
 */
#include <stddef.h>

__attribute__((visibility("default"))) const void* mcph_plugin_entry_v2(void) { return NULL; }
