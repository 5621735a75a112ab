# One INTERFACE target carries the language level, warnings and Qt defines.
# Every Keepwatch target links keepwatch_common; nothing sets global flags.
add_library(keepwatch_common INTERFACE)
target_compile_features(keepwatch_common INTERFACE cxx_std_20)
set(CMAKE_CXX_EXTENSIONS OFF)

if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(keepwatch_common INTERFACE
        -Wall -Wextra -Wpedantic -Wold-style-cast -Wnon-virtual-dtor
        $<$<BOOL:${KEEPWATCH_WERROR}>:-Werror>)
elseif(MSVC)
    target_compile_options(keepwatch_common INTERFACE /W4 $<$<BOOL:${KEEPWATCH_WERROR}>:/WX>)
endif()

target_compile_definitions(keepwatch_common INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_USE_QSTRINGBUILDER
    QT_NO_KEYWORDS)

# The linker, as -fuse-ld=<name> (GCC and Clang). mold links the test executables several times faster
# than GNU ld; setup.sh uses it. Empty: the compiler's default linker.
set(KEEPWATCH_LINKER "" CACHE STRING "Linker for -fuse-ld= (mold, lld, gold); empty: the compiler's default")
if(KEEPWATCH_LINKER)
    include(CheckLinkerFlag)
    check_linker_flag(CXX "-fuse-ld=${KEEPWATCH_LINKER}" KEEPWATCH_LINKER_WORKS_${KEEPWATCH_LINKER})
    if(NOT KEEPWATCH_LINKER_WORKS_${KEEPWATCH_LINKER})
        message(FATAL_ERROR "KEEPWATCH_LINKER=${KEEPWATCH_LINKER}: ${CMAKE_CXX_COMPILER} cannot link with "
            "-fuse-ld=${KEEPWATCH_LINKER}; install it (Debian: mold, lld or binutils) or configure with "
            "-DKEEPWATCH_LINKER= for the default linker")
    endif()
    target_link_options(keepwatch_common INTERFACE "-fuse-ld=${KEEPWATCH_LINKER}")
endif()

if(KEEPWATCH_SANITIZE)
    target_compile_options(keepwatch_common INTERFACE
        -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_link_options(keepwatch_common INTERFACE -fsanitize=address,undefined)
endif()
