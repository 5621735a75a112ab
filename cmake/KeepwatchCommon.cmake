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

if(KEEPWATCH_SANITIZE)
    target_compile_options(keepwatch_common INTERFACE
        -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_link_options(keepwatch_common INTERFACE -fsanitize=address,undefined)
endif()
