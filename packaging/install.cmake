# Run by `cmake --install` (install(SCRIPT) in CMakeLists.txt): installs the systemd unit with
# the paths of this installation, whatever --prefix says, and the default configuration unless
# one is already there (it may have been edited). PRESIGN_BINDIR and PRESIGN_PACKAGING_DIR are
# set by the install(CODE) before this script.
#
#   prefix /usr:        /usr/bin/presign, /etc/presign/presign.toml, /usr/lib/systemd/system
#   prefix /usr/local:  /usr/local/bin/presign, /usr/local/etc/presign/presign.toml,
#                       /usr/local/lib/systemd/system (both unit directories systemd reads)
set(prefix "${CMAKE_INSTALL_PREFIX}")
if(prefix STREQUAL "/usr")
  set(etc "/etc")
else()
  set(etc "${prefix}/etc")
endif()
set(PRESIGN_BIN "${prefix}/${PRESIGN_BINDIR}/presign")
set(PRESIGN_CONFIG "${etc}/presign/presign.toml")
set(PRESIGN_ENVIRONMENT "${etc}/presign/environment")

set(unit "$ENV{DESTDIR}${prefix}/lib/systemd/system/presign.service")
message(STATUS "Installing: ${unit}")
file(READ "${PRESIGN_PACKAGING_DIR}/presign.service.in" template)
file(CONFIGURE OUTPUT "${unit}" CONTENT "${template}" @ONLY)
list(APPEND CMAKE_INSTALL_MANIFEST_FILES "${unit}")

set(config "$ENV{DESTDIR}${PRESIGN_CONFIG}")
if(EXISTS "${config}")
  message(STATUS "Keeping: ${config} (already there)")
else()
  file(INSTALL "${PRESIGN_PACKAGING_DIR}/presign.toml" DESTINATION "$ENV{DESTDIR}${etc}/presign"
       PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
endif()
