# Linux: the file-system layout (GNUInstallDirs under /usr) and the DEB, RPM and TGZ packages.
# Included by installer/CMakeLists.txt.
set(kw_linux "${CMAKE_CURRENT_SOURCE_DIR}/linux")
set(kw_icons "${PROJECT_SOURCE_DIR}/resources/icons")

# Desktop integration, all under the reverse-DNS id.
install(FILES ${kw_linux}/${KEEPWATCH_APP_ID}.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${kw_linux}/${KEEPWATCH_APP_ID}.metainfo.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
install(FILES ${kw_icons}/keepwatch.svg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps RENAME ${KEEPWATCH_APP_ID}.svg)
foreach(size 16 24 32 48 64 128 256 512)
    install(FILES ${kw_icons}/hicolor/${size}x${size}/keepwatch.png
            DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps RENAME ${KEEPWATCH_APP_ID}.png)
endforeach()
# The unit goes where the distribution's systemd looks for packaged units (/usr/lib/systemd/system).
install(FILES ${kw_linux}/keepwatch.service DESTINATION lib/systemd/system)
install(FILES ${PROJECT_SOURCE_DIR}/resources/workspaces/example.json
        DESTINATION ${CMAKE_INSTALL_DATADIR}/keepwatch/workspaces)
install(FILES ${kw_linux}/copyright DESTINATION ${KEEPWATCH_DOCDIR})

# keepwatch(1) and the bash completion, generated from the built binary's --help (one source, so they
# cannot drift from it); changelog.gz in Debian's form. A cross build cannot run the binary: no page.
set(kw_generated "${CMAKE_CURRENT_BINARY_DIR}/generated")
find_program(KEEPWATCH_GZIP gzip)
if(NOT CMAKE_CROSSCOMPILING AND KEEPWATCH_GZIP)
    add_custom_command(
        OUTPUT ${kw_generated}/keepwatch.1.gz
        COMMAND ${CMAKE_COMMAND} -E make_directory ${kw_generated}
        COMMAND ${kw_linux}/gen-manpage.sh $<TARGET_FILE:keepwatch> ${kw_generated}/keepwatch.1
        COMMAND ${KEEPWATCH_GZIP} -9nf ${kw_generated}/keepwatch.1
        DEPENDS keepwatch ${kw_linux}/gen-manpage.sh
        COMMENT "Generating keepwatch(1) from keepwatch --help"
        VERBATIM)
    add_custom_command(
        OUTPUT ${kw_generated}/keepwatch
        COMMAND ${CMAKE_COMMAND} -E make_directory ${kw_generated}
        COMMAND ${kw_linux}/gen-completion.sh $<TARGET_FILE:keepwatch> ${kw_generated}/keepwatch
        DEPENDS keepwatch ${kw_linux}/gen-completion.sh
        COMMENT "Generating the bash completion from keepwatch --help"
        VERBATIM)
    add_custom_command(
        OUTPUT ${kw_generated}/changelog.gz
        COMMAND ${CMAKE_COMMAND} -E make_directory ${kw_generated}
        COMMAND sh -c "${KEEPWATCH_GZIP} -9nc '${kw_linux}/changelog' > '${kw_generated}/changelog.gz'"
        DEPENDS ${kw_linux}/changelog
        VERBATIM)
    add_custom_target(keepwatch_package_docs ALL
        DEPENDS ${kw_generated}/keepwatch.1.gz ${kw_generated}/keepwatch ${kw_generated}/changelog.gz)
    install(FILES ${kw_generated}/keepwatch.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
    install(FILES ${kw_generated}/keepwatch DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
    install(FILES ${kw_generated}/changelog.gz DESTINATION ${KEEPWATCH_DOCDIR})
endif()

# qt_standard_project_setup() gives installed binaries a $ORIGIN run path for relocatable Qt
# installations; the packages use the system's Qt libraries, which need none.
set_target_properties(keepwatch PROPERTIES INSTALL_RPATH "")

set(CPACK_GENERATOR "TGZ")
# Directories and files owned by root whatever user runs cpack.
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

# DEB. dpkg-shlibdeps derives the Qt and libc dependencies from the binary itself; the plugins Qt loads
# at run time are not linked, so they are named here: the SQLite driver (the event log) in
# libqt6sql6-sqlite; the xcb and offscreen platform plugins come with libqt6gui6 (found by shlibdeps),
# Wayland's with qt6-wayland.
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6sql6-sqlite")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-wayland")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${PROJECT_HOMEPAGE_URL}")
# CPack puts CPACK_PACKAGE_DESCRIPTION_SUMMARY on the first line and indents these lines under it.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "Keepwatch holds a connection to each endpoint, applies per-socket keepalive,\ndetects dead peers and half-open connections, names the cause of every drop,\nreconnects with backoff and keeps an exportable event log.\nIt runs with a window or headless, as a systemd service.")

# RPM. rpmbuild's automatic requires come from the binary (libQt6Core.so.6 and so on); the run-time
# plugins by Fedora's package names: the SQLite driver is in qt6-qtbase, the platform plugins in
# qt6-qtbase-gui.
set(CPACK_RPM_FILE_NAME RPM-DEFAULT)
set(CPACK_RPM_PACKAGE_LICENSE "GPL-3.0-or-later")
set(CPACK_RPM_PACKAGE_GROUP "Applications/Internet")
set(CPACK_RPM_PACKAGE_URL "${PROJECT_HOMEPAGE_URL}")
set(CPACK_RPM_PACKAGE_DESCRIPTION "${CPACK_DEBIAN_PACKAGE_DESCRIPTION}")
set(CPACK_RPM_PACKAGE_RELOCATABLE OFF)
# No /usr/lib/.build-id links: the file list is the same as the .deb's.
set(CPACK_RPM_SPEC_MORE_DEFINE "%define _build_id_links none")
set(CPACK_RPM_PACKAGE_AUTOREQ ON)
set(CPACK_RPM_PACKAGE_REQUIRES "qt6-qtbase, qt6-qtbase-gui")
# The package owns its own directories only, not the system's.
set(CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION
    /usr/share/applications /usr/share/metainfo /usr/share/icons /usr/share/icons/hicolor
    /usr/share/man /usr/share/man/man1 /usr/share/bash-completion /usr/share/bash-completion/completions
    /usr/lib/systemd /usr/lib/systemd/system)
foreach(size scalable 16x16 24x24 32x32 48x48 64x64 128x128 256x256 512x512)
    list(APPEND CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION
         /usr/share/icons/hicolor/${size} /usr/share/icons/hicolor/${size}/apps)
endforeach()
