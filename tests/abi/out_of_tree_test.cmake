# Installs the SDK component alone into a fresh prefix, then configures and builds its example
# (tests/abi/out_of_tree, installed as share/mcp-host-sdk/examples/hello) against that prefix
# only, as a plugin author outside this tree would.
# Leaves the plugin at <WORK_DIR>/build/hello.so for the host's integration tests.
#   cmake -DBUILD_DIR= -DSOURCE_DIR= -DWORK_DIR= -DGENERATOR= -DC_COMPILER= -DNM=
#         -DCHECK_EXPORTS=<check_exports.cmake> -P out_of_tree_test.cmake
set(prefix ${WORK_DIR}/prefix)
set(build ${WORK_DIR}/build)

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}")
  endif()
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
run("installing the sdk component"
  ${CMAKE_COMMAND} --install ${BUILD_DIR} --component sdk --prefix ${prefix})

# The component holds the SDK and nothing else.
file(GLOB_RECURSE installed RELATIVE ${prefix} ${prefix}/*)
list(SORT installed)
set(expected
  include/mcphost/plugin.h
  include/mcphost/plugin.hpp
  lib/cmake/McpHostSdk/McpHostPlugin.cmake
  lib/cmake/McpHostSdk/McpHostSdkConfig.cmake
  lib/cmake/McpHostSdk/McpHostSdkConfigVersion.cmake
  lib/cmake/McpHostSdk/McpHostSdkTargets.cmake
  lib/cmake/McpHostSdk/mcph_plugin.map
  share/mcp-host-sdk/examples/hello/CMakeLists.txt
  share/mcp-host-sdk/examples/hello/cxx/CMakeLists.txt
  share/mcp-host-sdk/examples/hello/cxx/hello_cxx.cpp
  share/mcp-host-sdk/examples/hello/hello.c)
if(NOT installed STREQUAL expected)
  message(FATAL_ERROR "the sdk component installed:\n  ${installed}\nexpected:\n  ${expected}")
endif()

# The example as installed is what a plugin author starts from: build that copy.
set(example ${prefix}/share/mcp-host-sdk/examples/hello)
file(READ ${SOURCE_DIR}/hello.c in_tree)
file(READ ${example}/hello.c installed_copy)
if(NOT in_tree STREQUAL installed_copy)
  message(FATAL_ERROR "the installed example differs from ${SOURCE_DIR}/hello.c")
endif()
set(configure ${CMAKE_COMMAND} -S ${example} -G ${GENERATOR}
  -DCMAKE_C_COMPILER=${C_COMPILER} -DCMAKE_PREFIX_PATH=${prefix}
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF)

# SameMajorVersion: asking for SDK 2 must fail against a 1.x SDK.
execute_process(COMMAND ${configure} -B ${WORK_DIR}/wrong-major -DMCPH_SDK_VERSION_WANTED=2
  RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
if(rc EQUAL 0)
  message(FATAL_ERROR "find_package(McpHostSdk 2) succeeded against a 1.x SDK")
endif()

run("configuring the out-of-tree plugin" ${configure} -B ${build})
file(STRINGS ${build}/CMakeCache.txt found REGEX "^McpHostSdk_DIR:")
if(NOT found STREQUAL "McpHostSdk_DIR:PATH=${prefix}/lib/cmake/McpHostSdk")
  message(FATAL_ERROR "found the SDK elsewhere than the fresh prefix: ${found}")
endif()

run("building the out-of-tree plugin" ${CMAKE_COMMAND} --build ${build})
if(NOT EXISTS ${build}/hello.so)
  message(FATAL_ERROR "${build}/hello.so was not built")
endif()
if(NOT EXISTS ${build}/cxx/hello_cxx.so)
  message(FATAL_ERROR "${build}/cxx/hello_cxx.so (C++ in a subdirectory of a C project) was not built")
endif()
run("checking its exports" ${CMAKE_COMMAND} -DNM=${NM} "-DDIRS=${build};${build}/cxx" -P ${CHECK_EXPORTS})
message(STATUS "built ${build}/hello.so against the SDK installed in ${prefix}")
