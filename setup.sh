#!/usr/bin/env bash
# Keepwatch developer entry point. On a fresh Debian 12 machine:
#
#   ./setup.sh run  [-- keepwatch arguments]   install what is missing, build, start the app
#   ./setup.sh test                            install what is missing, build, run the whole test suite
#
# Everything it needs comes from Debian's packages (apt-get, non-interactive).
# It uses sudo for apt-get when not run as root.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

usage() {
    sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
}

[ $# -ge 1 ] || usage
mode="$1"
shift
case "$mode" in
run | test) ;;
-h | --help | help) usage ;;
*)
    echo "setup.sh: unknown command '$mode' (use 'run' or 'test')" >&2
    exit 2
    ;;
esac
if [ "${1:-}" = "--" ]; then shift; fi

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# What building and running needs.
packages_run=(
    build-essential cmake ninja-build pkg-config mold
    qt6-base-dev qt6-base-dev-tools qt6-charts-dev libqt6opengl6-dev libxkbcommon-dev libgl-dev
    libqt6sql6-sqlite libsqlite3-dev qt6-qpa-plugins
    libssl-dev libwslay-dev libzip-dev
    qt6-websockets-dev qt6-httpserver-dev
    qt6-tools-dev qt6-l10n-tools
)
# What the whole test suite needs on top: a real broker and its clients (devices publishing through
# it), a TLS server (openssl s_server) and a
# WebSocket server nobody here wrote (Qt WebSockets, above: the demo runs one), the namespace fault lab,
# the Windows layer under Wine, libFuzzer, and packaging checks.
packages_test=(
    mosquitto mosquitto-clients nftables iproute2 procps
    openssl python3
    g++-mingw-w64-x86-64-posix wine64 wine
    clang libclang-rt-14-dev
    dpkg-dev file sqlite3 prometheus dbus-daemon
    lintian desktop-file-utils appstream rpm man-db systemd
)

missing_packages() {
    local p
    for p in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
            printf '%s\n' "$p"
        fi
    done
}

install_packages() {
    local missing
    mapfile -t missing < <(missing_packages "$@")
    [ ${#missing[@]} -gt 0 ] || return 0
    log "Installing ${missing[*]}"
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || {
            echo "setup.sh: need root (or sudo) to install: ${missing[*]}" >&2
            exit 1
        }
        sudo=(sudo)
    fi
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -q
    "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
}

jobs="$(nproc 2>/dev/null || echo 2)"

configure_and_build() {
    local dir="$1"
    shift
    log "Configuring $dir"
    cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKEEPWATCH_LINKER=mold "$@" >/dev/null
    log "Building $dir"
    cmake --build "$dir" -j "$jobs"
}

case "$mode" in
run)
    install_packages "${packages_run[@]}"
    configure_and_build build -DKEEPWATCH_BUILD_TESTS=OFF
    if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
        log "Starting Keepwatch"
        exec ./build/app/keepwatch "$@"
    fi
    log "No display: starting Keepwatch headless, events on the terminal (Ctrl+C stops)"
    if [ $# -eq 0 ]; then
        set -- --demo
    fi
    exec ./build/app/keepwatch --headless --events - "$@"
    ;;
test)
    install_packages "${packages_run[@]}" "${packages_test[@]}"
    werror=OFF
    if [ -n "${CI:-}" ]; then werror=ON; fi
    # -g1: line tables, enough for the backtraces of a crashing test, at a fraction of -g's compile and
    # link time (docs/architecture.md, "Building fast"). The packages made from build-test are stripped.
    configure_and_build build-test -DKEEPWATCH_BUILD_TESTS=ON -DKEEPWATCH_WERROR="$werror" \
        -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG"
    log "Building fuzz targets (clang, libFuzzer, ASan, UBSan)"
    CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DKEEPWATCH_FUZZ=ON -DKEEPWATCH_BUILD_GUI=OFF -DKEEPWATCH_BUILD_TESTS=ON -DKEEPWATCH_LINKER=mold >/dev/null
    cmake --build build-fuzz -j "$jobs" --target keepwatch_fuzzers
    status=0
    log "Running the fuzz targets"
    ctest --test-dir build-fuzz --output-on-failure -L fuzz || status=$?
    log "Running the test suite"
    ctest --test-dir build-test --output-on-failure -j "$jobs" --timeout 900 || status=$?
    exit "$status"
    ;;
esac
