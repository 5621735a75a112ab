# The translation template, made by Qt's lupdate from every tr() and QCoreApplication::translate() a
# user can read: the window (ui/), the messages of lib/ that it shows (session details, workspace
# errors, MQTT refusals, TLS and WebSocket failures) and the command line (app/).
#
#   cmake --build build --target update_translations   # rewrites translations/keepwatch.ts
#
# The template in the repository is that output, never edited by hand. Without Qt6LinguistTools
# (Debian: qt6-tools-dev and qt6-l10n-tools) the build goes on without the target and its test.
find_package(Qt6 6.4 QUIET COMPONENTS LinguistTools)
if(NOT TARGET Qt6::lupdate)
    message(STATUS "Qt6LinguistTools not found: no update_translations target, no translations test")
    set(KEEPWATCH_LUPDATE "" CACHE INTERNAL "lupdate, for the translations test")
    function(keepwatch_add_translations_test)
    endfunction()
    return()
endif()

set(KEEPWATCH_TS_TEMPLATE "${PROJECT_SOURCE_DIR}/translations/keepwatch.ts")
file(GLOB KEEPWATCH_TR_SOURCES CONFIGURE_DEPENDS
    "${PROJECT_SOURCE_DIR}/ui/*.cpp" "${PROJECT_SOURCE_DIR}/ui/*.h"
    "${PROJECT_SOURCE_DIR}/app/*.cpp" "${PROJECT_SOURCE_DIR}/app/*.h"
    "${PROJECT_SOURCE_DIR}/lib/liveness/*.cpp"
    "${PROJECT_SOURCE_DIR}/lib/monitor/*.cpp" "${PROJECT_SOURCE_DIR}/lib/monitor/*.h"
    "${PROJECT_SOURCE_DIR}/lib/session/*.cpp" "${PROJECT_SOURCE_DIR}/lib/session/*.h"
    "${PROJECT_SOURCE_DIR}/lib/store/*.cpp"
    "${PROJECT_SOURCE_DIR}/lib/stream/*.cpp")

# No source locations in the template: line numbers would change it on every edit of a source file,
# and the contexts (class names) already say where a string lives.
qt_add_lupdate(kw_ui
    TS_FILES "${KEEPWATCH_TS_TEMPLATE}"
    SOURCES ${KEEPWATCH_TR_SOURCES}
    OPTIONS -locations none -no-obsolete -silent)

# The test runs lupdate over the same sources into the build tree and checks that the template it
# makes, and the one in the repository, hold a string of the window and one of lib/. Called from
# tests/ui, where CTest is enabled; the lupdate path and the list of sources are handed over here.
get_target_property(KEEPWATCH_LUPDATE Qt6::lupdate IMPORTED_LOCATION)
if(NOT KEEPWATCH_LUPDATE)
    get_target_property(KEEPWATCH_LUPDATE Qt6::lupdate LOCATION)
endif()
set(KEEPWATCH_LUPDATE "${KEEPWATCH_LUPDATE}" CACHE INTERNAL "lupdate, for the translations test")
set(KEEPWATCH_TR_SOURCES_LIST "${CMAKE_CURRENT_BINARY_DIR}/keepwatch_tr_sources.lst"
    CACHE INTERNAL "the sources lupdate reads, one per line")
set(KEEPWATCH_TS_TEMPLATE "${KEEPWATCH_TS_TEMPLATE}" CACHE INTERNAL "the committed translation template")
list(JOIN KEEPWATCH_TR_SOURCES "\n" list_content)
file(GENERATE OUTPUT "${KEEPWATCH_TR_SOURCES_LIST}" CONTENT "${list_content}\n")

function(keepwatch_add_translations_test)
    if(NOT KEEPWATCH_LUPDATE)
        return()
    endif()
    add_test(NAME translations_template
        COMMAND "${CMAKE_COMMAND}"
            "-DLUPDATE=${KEEPWATCH_LUPDATE}"
            "-DSOURCES_LIST=${KEEPWATCH_TR_SOURCES_LIST}"
            "-DOUTPUT=${CMAKE_CURRENT_BINARY_DIR}/keepwatch_check.ts"
            "-DCOMMITTED=${KEEPWATCH_TS_TEMPLATE}"
            -P "${PROJECT_SOURCE_DIR}/cmake/CheckTranslationTemplate.cmake")
    set_tests_properties(translations_template PROPERTIES LABELS ui TIMEOUT 120)
endfunction()
