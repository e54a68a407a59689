# mcph_add_plugin(<target> <sources...>): builds a tool plugin the way the host expects it:
# a shared module named <target>.so, hidden visibility, and a linker version script so that
# mcph_plugin_entry_v1 is the only exported symbol.
# The version script is found through CMAKE_CURRENT_FUNCTION_LIST_DIR (the directory of this
# file, in-tree or installed): a variable set at include time would not be visible to callers
# in sibling directories.
if(CMAKE_VERSION VERSION_LESS 3.17)
  message(FATAL_ERROR "mcph_add_plugin needs CMake 3.17 or newer")
endif()

function(mcph_add_plugin target)
  add_library(${target} MODULE ${ARGN})
  target_link_libraries(${target} PRIVATE McpHost::sdk)
  # plugin.hpp needs C++17: raise a lower (or unset) standard of the target's C++ sources; C
  # sources keep theirs, and a project without C++ is not touched.
  get_target_property(_std ${target} CXX_STANDARD)
  if(NOT _std OR _std STREQUAL "98" OR _std LESS 17)
    set_target_properties(${target} PROPERTIES CXX_STANDARD 17 CXX_STANDARD_REQUIRED ON)
  endif()
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(DEFINED MCPH_PLUGIN_OUTPUT_DIR)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${MCPH_PLUGIN_OUTPUT_DIR})
  endif()
  if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
    set(_map ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/mcph_plugin.map)
    target_link_options(${target} PRIVATE "-Wl,--version-script=${_map}")
    # -z defs: a plugin may use nothing but libc and what it links itself. Not in a clang
    # sanitizer build, whose plugins call into the sanitizer runtime of the host executable.
    if(NOT MCPH_PLUGIN_ALLOW_UNDEFINED)
      target_link_options(${target} PRIVATE "-Wl,-z,defs")
    endif()
    set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS ${_map})
  endif()
endfunction()
