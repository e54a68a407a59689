# Checks that every plugin (*.so) in the given directories exports exactly one dynamic symbol,
# the function mcph_plugin_entry_v1; anything more leaks into the host's symbol space.
#   cmake -DNM=<nm> -DDIRS=<dir>[;<dir>...] -P check_exports.cmake
if(NOT NM OR NOT DIRS)
  message(FATAL_ERROR "usage: cmake -DNM=<nm> -DDIRS=<dir;...> -P check_exports.cmake")
endif()

set(checked 0)
foreach(dir IN LISTS DIRS)
  file(GLOB plugins ${dir}/*.so)
  if(NOT plugins)
    message(FATAL_ERROR "no plugins found in ${dir}: build them first")
  endif()
  foreach(plugin IN LISTS plugins)
    execute_process(COMMAND ${NM} -D --defined-only ${plugin}
      OUTPUT_VARIABLE symbols ERROR_VARIABLE errors RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "${NM} failed on ${plugin}: ${errors}")
    endif()
    string(STRIP "${symbols}" symbols)
    if(NOT symbols MATCHES "^[0-9a-fA-F]+ T mcph_plugin_entry_v1$")
      message(FATAL_ERROR "${plugin} must export only the function mcph_plugin_entry_v1; "
        "nm -D --defined-only shows:\n${symbols}")
    endif()
    math(EXPR checked "${checked} + 1")
  endforeach()
endforeach()
message(STATUS "${checked} plugins export only mcph_plugin_entry_v1")
