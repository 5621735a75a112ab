# Precompiled Qt headers. Nearly every source of lib/, ui/ and tests/ spends most of its parse time in
# the same Qt headers; each PCH below is compiled once and reused by every target that asks for it
# (target_precompile_headers REUSE_FROM), instead of once per source file.
#
#   keepwatch_precompile(core kw_store kw_session ...)   Qt Core + Qt Network (cmake/pch/core.h)
#   keepwatch_precompile(gui kw_ui ...)                  Qt Core + Qt Widgets (cmake/pch/gui.h)
#
# GCC uses a PCH only when every macro defined while it was compiled is defined the same way in the
# user, and no macro the PCH's headers test (such as QT_WIDGETS_LIB in QtTest) changed. So the PCH
# targets define only what every user defines (keepwatch_common and Qt6::Core, plus Qt6::Widgets for
# "gui"), and hold no QtTest header (qtestcase.h tests QT_TESTCASE_BUILDDIR, which differs per
# directory). CMake compiles with -Winvalid-pch, so with KEEPWATCH_WERROR a PCH that GCC refuses
# fails the build instead of silently costing the time again: a target that links Qt Widgets uses
# "gui", one that links Qt Core but not Qt Widgets uses "core", one without Qt (lib/net, lib/liveness)
# none.
#
# On by default with GCC only, the compiler CI builds with. The Clang (fuzz), MSVC and macOS builds
# compile without, which also checks that each source includes what it uses.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    set(keepwatch_pch_default ON)
else()
    set(keepwatch_pch_default OFF)
endif()
option(KEEPWATCH_PCH "Precompile the Qt headers (cmake/pch/) for lib/, ui/ and the tests" ${keepwatch_pch_default})

function(keepwatch_precompile kind)
    if(NOT KEEPWATCH_PCH)
        return()
    endif()
    if(NOT TARGET keepwatch_pch_${kind})
        message(FATAL_ERROR "keepwatch_precompile: no precompiled header '${kind}' (core, or gui with KEEPWATCH_BUILD_GUI)")
    endif()
    foreach(target IN LISTS ARGN)
        target_precompile_headers(${target} REUSE_FROM keepwatch_pch_${kind})
    endforeach()
endfunction()

if(NOT KEEPWATCH_PCH)
    return()
endif()

# A PCH target compiles one empty source, the PCH's own translation unit; it links nothing.
set(keepwatch_pch_source "${CMAKE_CURRENT_BINARY_DIR}/keepwatch_pch.cpp")
file(CONFIGURE OUTPUT "${keepwatch_pch_source}"
    CONTENT "// The translation unit of a precompiled header (cmake/KeepwatchPrecompiledHeaders.cmake).\n")

add_library(keepwatch_pch_core OBJECT "${keepwatch_pch_source}")
target_link_libraries(keepwatch_pch_core PRIVATE keepwatch_common Qt6::Core)
# Qt Network's headers without its QT_NETWORK_LIB: users that do not link Qt Network (kw_store, the
# tests of lib/liveness) can use this PCH too.
target_include_directories(keepwatch_pch_core SYSTEM PRIVATE
    $<TARGET_PROPERTY:Qt6::Network,INTERFACE_INCLUDE_DIRECTORIES>)
target_precompile_headers(keepwatch_pch_core PRIVATE "${PROJECT_SOURCE_DIR}/cmake/pch/core.h")
set_target_properties(keepwatch_pch_core PROPERTIES AUTOMOC OFF AUTOUIC OFF AUTORCC OFF)

if(KEEPWATCH_BUILD_GUI)
    add_library(keepwatch_pch_gui OBJECT "${keepwatch_pch_source}")
    target_link_libraries(keepwatch_pch_gui PRIVATE keepwatch_common Qt6::Widgets)
    target_precompile_headers(keepwatch_pch_gui PRIVATE "${PROJECT_SOURCE_DIR}/cmake/pch/gui.h")
    set_target_properties(keepwatch_pch_gui PROPERTIES AUTOMOC OFF AUTOUIC OFF AUTORCC OFF)
endif()
