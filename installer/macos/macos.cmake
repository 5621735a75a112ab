# macOS: keepwatch.app (Info.plist from Info.plist.in, keepwatch.icns), made self-contained by Qt's
# deployment (macdeployqt, through qt_generate_deploy_app_script), in a DragNDrop DMG. Configured
# everywhere macOS is the target; built on macOS with Qt for macOS. Included by installer/CMakeLists.txt.
set(kw_macos "${CMAKE_CURRENT_SOURCE_DIR}/macos")
set(kw_icns "${PROJECT_SOURCE_DIR}/resources/icons/keepwatch.icns")

target_sources(keepwatch PRIVATE ${kw_icns})
set_source_files_properties(${kw_icns} TARGET_DIRECTORY keepwatch PROPERTIES MACOSX_PACKAGE_LOCATION Resources)
set_target_properties(keepwatch PROPERTIES
    MACOSX_BUNDLE_INFO_PLIST ${kw_macos}/Info.plist.in
    MACOSX_BUNDLE_GUI_IDENTIFIER ${KEEPWATCH_APP_ID}
    MACOSX_BUNDLE_BUNDLE_NAME Keepwatch
    MACOSX_BUNDLE_ICON_FILE keepwatch.icns
    MACOSX_BUNDLE_BUNDLE_VERSION ${PROJECT_VERSION}
    MACOSX_BUNDLE_SHORT_VERSION_STRING ${PROJECT_VERSION}
    MACOSX_BUNDLE_COPYRIGHT "Copyright 2026 Keepwatch maintainers")

install(FILES ${PROJECT_SOURCE_DIR}/resources/workspaces/example.json
        DESTINATION keepwatch.app/Contents/Resources/workspaces)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${KEEPWATCH_LICENCE_NOTICE} DESTINATION keepwatch.app/Contents/Resources)

# Qt's deployment: macdeployqt over the installed bundle. Qt 6.4 names the script's variable
# FILENAME_VARIABLE; Qt 6.5 and later OUTPUT_SCRIPT.
if(Qt6_VERSION VERSION_GREATER_EQUAL 6.5)
    qt_generate_deploy_app_script(TARGET keepwatch OUTPUT_SCRIPT kw_deploy_script NO_UNSUPPORTED_PLATFORM_ERROR)
else()
    qt_generate_deploy_app_script(TARGET keepwatch FILENAME_VARIABLE kw_deploy_script NO_UNSUPPORTED_PLATFORM_ERROR)
endif()
install(SCRIPT ${kw_deploy_script})

set(CPACK_GENERATOR "DragNDrop;TGZ")
set(CPACK_DMG_VOLUME_NAME "Keepwatch ${PROJECT_VERSION}")
set(CPACK_DMG_FORMAT "UDZO")
