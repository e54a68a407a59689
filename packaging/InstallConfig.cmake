# Runs at install time (install(SCRIPT)): CMAKE_INSTALL_PREFIX is final here. With the prefix
# /usr the config goes to /etc/mcp-host and the unit to /lib/systemd/system, as Debian has them;
# any other prefix keeps both under it. Paths inside the files follow.
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  set(_conf /etc/mcp-host)
  set(_unit /lib/systemd/system)
else()
  set(_conf ${CMAKE_INSTALL_PREFIX}/etc/mcp-host)
  set(_unit ${CMAKE_INSTALL_PREFIX}/lib/systemd/system)
endif()
set(_plugins ${CMAKE_INSTALL_PREFIX}/${MCPH_PLUGINS_RELDIR})

file(REMOVE_RECURSE ${MCPH_STAGING_DIR})
file(MAKE_DIRECTORY ${MCPH_STAGING_DIR}/examples)
# The examples name the build tree's plugins; installed, they name the installed ones.
file(GLOB _examples ${MCPH_ETC_DIR}/*.json)
foreach(_file IN LISTS _examples)
  get_filename_component(_name ${_file} NAME)
  file(READ ${_file} _text)
  string(REPLACE "\"../build/plugins\"" "\"${_plugins}\"" _text "${_text}")
  file(WRITE ${MCPH_STAGING_DIR}/examples/${_name} "${_text}")
endforeach()
configure_file(${MCPH_PACKAGING_DIR}/mcp-host.json ${MCPH_STAGING_DIR}/mcp-host.json COPYONLY)
set(BINDIR ${CMAKE_INSTALL_PREFIX}/bin)
set(CONFDIR ${_conf})
set(DOCDIR ${CMAKE_INSTALL_PREFIX}/share/doc/mcp-host)
configure_file(${MCPH_PACKAGING_DIR}/mcp-host.service.in ${MCPH_STAGING_DIR}/mcp-host.service @ONLY)

file(INSTALL ${MCPH_STAGING_DIR}/mcp-host.json DESTINATION ${_conf}
     PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
file(INSTALL ${MCPH_STAGING_DIR}/examples DESTINATION ${_conf})
file(INSTALL ${MCPH_STAGING_DIR}/mcp-host.service DESTINATION ${_unit})
