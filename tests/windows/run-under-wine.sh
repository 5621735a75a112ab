#!/bin/sh
# Builds the Windows keepalive check with MinGW-w64 and runs it under Wine in a private prefix.
# usage: run-under-wine.sh <tests/windows source dir> <work dir>
# Exit status: the check's (0 = all passed), 77 when MinGW-w64 or Wine is missing (CTest: skipped).
set -u

src=$(cd "$1" && pwd)
work=$2
started=$(date +%s)

skip() {
    echo "SKIP: $1"
    exit 77
}

if ! command -v x86_64-w64-mingw32-g++-posix >/dev/null 2>&1 && ! command -v x86_64-w64-mingw32-g++ >/dev/null 2>&1; then
    skip "MinGW-w64 C++ compiler not found (Debian: apt install g++-mingw-w64-x86-64-posix)"
fi
if [ -x /usr/lib/wine/wine64 ]; then
    wine=/usr/lib/wine/wine64
elif command -v wine64 >/dev/null 2>&1; then
    wine=$(command -v wine64)
elif command -v wine >/dev/null 2>&1; then
    wine=$(command -v wine)
else
    skip "Wine not found (Debian: apt install wine wine64)"
fi
if [ -x /usr/lib/wine/wineserver64 ]; then
    wineserver=/usr/lib/wine/wineserver64
else
    wineserver=$(command -v wineserver || echo wineserver)
fi

mkdir -p "$work"
build="$work/build"
if ! cmake -S "$src" -B "$build" -DCMAKE_TOOLCHAIN_FILE="$src/../../cmake/mingw-w64.cmake" \
        -DCMAKE_BUILD_TYPE=Release -DKEEPWATCH_WERROR=ON >"$work/configure.log" 2>&1; then
    cat "$work/configure.log"
    echo "FAIL: configuring the MinGW-w64 build (log above)"
    exit 1
fi
if ! cmake --build "$build" -j2 >"$work/build.log" 2>&1; then
    cat "$work/build.log"
    echo "FAIL: building kw_windows_check.exe with MinGW-w64 (log above)"
    exit 1
fi

# A prefix of our own: never the user's ~/.wine, and wineboot creates it only once per build tree.
export WINEPREFIX="$work/wineprefix"
export WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml="
built=$(date +%s)
if [ ! -f "$WINEPREFIX/system.reg" ]; then
    "$wine" wineboot -i >"$work/wineboot.log" 2>&1
    "$wineserver" -w
fi
booted=$(date +%s)

"$wine" "$build/kw_windows_check.exe" --wine 2>&1
status=$?
# lib/mqtt and lib/liveness, built for Windows too (portable_check.cpp).
"$wine" "$build/kw_portable_check.exe" 2>&1
portable=$?
[ $status -ne 0 ] || status=$portable
# Our prefix's wineserver only; other prefixes are left alone.
"$wineserver" -k >/dev/null 2>&1

finished=$(date +%s)
echo "windows_keepalive_wine: $((finished - started)) s (MinGW build $((built - started)) s, Wine prefix" \
    "$((booted - built)) s, check $((finished - booted)) s)"
exit $status
