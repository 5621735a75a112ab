# Cross-compile for 64-bit Windows with MinGW-w64 (Debian: g++-mingw-w64-x86-64-posix).
#   cmake -S tests/windows -B build-win -DCMAKE_TOOLCHAIN_FILE=cmake/mingw-w64.cmake
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(KW_MINGW_PREFIX x86_64-w64-mingw32)
# The -posix flavour has std::thread and std::mutex; the -win32 one does not.
find_program(KW_MINGW_CXX NAMES ${KW_MINGW_PREFIX}-g++-posix ${KW_MINGW_PREFIX}-g++ REQUIRED)
find_program(KW_MINGW_CC NAMES ${KW_MINGW_PREFIX}-gcc-posix ${KW_MINGW_PREFIX}-gcc)
set(CMAKE_CXX_COMPILER ${KW_MINGW_CXX})
if(KW_MINGW_CC)
    set(CMAKE_C_COMPILER ${KW_MINGW_CC})
endif()
find_program(CMAKE_RC_COMPILER NAMES ${KW_MINGW_PREFIX}-windres)

set(CMAKE_FIND_ROOT_PATH /usr/${KW_MINGW_PREFIX})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# Lets ctest/cmake run built .exe files through Wine when it is installed.
find_program(KW_WINE NAMES wine64 wine PATHS /usr/lib/wine NO_CMAKE_FIND_ROOT_PATH)
if(KW_WINE)
    set(CMAKE_CROSSCOMPILING_EMULATOR ${KW_WINE})
endif()
