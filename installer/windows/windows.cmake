# Windows: an MSI (WiX) and an NSIS installer, plus a ZIP, each carrying the Qt libraries and plugins
# that Qt's deployment tool (windeployqt, through qt_generate_deploy_app_script) copies next to the
# executable. Configured everywhere Windows is the target; built on Windows with Qt for Windows.
# Included by installer/CMakeLists.txt.
set(kw_windows "${CMAKE_CURRENT_SOURCE_DIR}/windows")

install(FILES ${PROJECT_SOURCE_DIR}/resources/workspaces/example.json DESTINATION share/keepwatch/workspaces)
install(FILES ${KEEPWATCH_LICENCE_NOTICE} DESTINATION ${KEEPWATCH_DOCDIR} RENAME licence.txt)

# The executable's icon (Explorer, taskbar, Start menu shortcut).
set(kw_windows_ico "${PROJECT_SOURCE_DIR}/resources/icons/keepwatch.ico")
configure_file(${kw_windows}/keepwatch.rc.in ${CMAKE_CURRENT_BINARY_DIR}/keepwatch.rc @ONLY)
target_sources(keepwatch PRIVATE ${CMAKE_CURRENT_BINARY_DIR}/keepwatch.rc)

# Qt's deployment: windeployqt over the installed executable. Qt 6.4 names the script's variable
# FILENAME_VARIABLE; Qt 6.5 and later OUTPUT_SCRIPT.
if(NOT CMAKE_CROSSCOMPILING)
    if(Qt6_VERSION VERSION_GREATER_EQUAL 6.5)
        qt_generate_deploy_app_script(TARGET keepwatch OUTPUT_SCRIPT kw_deploy_script NO_UNSUPPORTED_PLATFORM_ERROR)
    else()
        qt_generate_deploy_app_script(TARGET keepwatch FILENAME_VARIABLE kw_deploy_script NO_UNSUPPORTED_PLATFORM_ERROR)
    endif()
    install(SCRIPT ${kw_deploy_script})
endif()
# The DLLs of the other imported libraries (OpenSSL, wslay from vcpkg): windeployqt copies Qt's only.
# A library found through pkg-config (libzip) has no DLL location CMake knows: windeployqt's and this
# copy miss it, so the workflow's vcpkg triplet should be static for it or the DLL copied by hand.
install(CODE "
    set(kw_dlls \"$<TARGET_RUNTIME_DLLS:keepwatch>\")
    if(kw_dlls)
        file(INSTALL \${kw_dlls} DESTINATION \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}\")
    endif()")
# The C++ run time when built with MSVC (vcruntime, msvcp).
set(CMAKE_INSTALL_SYSTEM_RUNTIME_DESTINATION ${CMAKE_INSTALL_BINDIR})
include(InstallRequiredSystemLibraries)

set(CPACK_GENERATOR "WIX;NSIS;ZIP")
# Never change: Windows Installer recognises an upgrade of Keepwatch by this GUID.
set(CPACK_WIX_UPGRADE_GUID "8402E7A4-3DB7-4FA5-A4BD-A9C05FF2EEBF")
set(CPACK_WIX_PRODUCT_ICON "${PROJECT_SOURCE_DIR}/resources/icons/keepwatch.ico")
set(CPACK_WIX_PROGRAM_MENU_FOLDER "Keepwatch")
set(CPACK_WIX_PROPERTY_ARPURLINFOABOUT "${PROJECT_HOMEPAGE_URL}")
set(CPACK_WIX_PROPERTY_ARPHELPLINK "${PROJECT_HOMEPAGE_URL}")
# The licence page of both installers shows CPACK_RESOURCE_FILE_LICENSE (installer/licence-notice.txt).
set(CPACK_NSIS_MUI_ICON "${PROJECT_SOURCE_DIR}/resources/icons/keepwatch.ico")
set(CPACK_NSIS_MUI_UNIICON "${PROJECT_SOURCE_DIR}/resources/icons/keepwatch.ico")
set(CPACK_NSIS_INSTALLED_ICON_NAME "bin\\\\keepwatch.exe")
set(CPACK_NSIS_DISPLAY_NAME "Keepwatch")
set(CPACK_NSIS_PACKAGE_NAME "Keepwatch")
set(CPACK_NSIS_URL_INFO_ABOUT "${PROJECT_HOMEPAGE_URL}")
set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
