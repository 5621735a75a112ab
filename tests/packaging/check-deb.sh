#!/usr/bin/env bash
# Usage: check-deb.sh BUILD_DIR SCRATCH_DIR
set -euo pipefail
build="$1"
scratch="$2"
for tool in cpack dpkg-deb dpkg-shlibdeps; do
    command -v "$tool" >/dev/null || { echo "SKIP: $tool not installed (apt-get install dpkg-dev)"; exit 77; }
done
rm -rf "$scratch"
mkdir -p "$scratch/out" "$scratch/root"
(cd "$build" && cpack -G DEB -B "$scratch/out" >"$scratch/cpack.log" 2>&1) || { cat "$scratch/cpack.log"; exit 1; }
deb=$(ls "$scratch"/out/keepwatch_*.deb | head -n 1)
echo "package: $deb"
dpkg-deb --info "$deb" | sed -n '/Package:/,$p'
dpkg-deb -x "$deb" "$scratch/root"

fail=0
check() { if [ -e "$scratch/root/$1" ]; then echo "ok   $1"; else echo "FAIL $1 missing"; fail=1; fi; }
check usr/bin/keepwatch
check usr/share/applications/keepwatch.desktop
check usr/share/icons/hicolor/scalable/apps/keepwatch.svg
check usr/share/metainfo/io.keepwatch.Keepwatch.metainfo.xml
check usr/lib/systemd/system/keepwatch.service
check usr/share/keepwatch/workspaces/example.json

depends=$(dpkg-deb --field "$deb" Depends)
case "$depends" in
*libqt6core6*) echo "ok   Depends names Qt: $depends" ;;
*) echo "FAIL Depends lacks Qt libraries: $depends"; fail=1 ;;
esac
# The demo's WebSocket server: without the library the binary does not start at all.
case "$depends" in
*libqt6websockets6*) echo "ok   Depends names Qt WebSockets" ;;
*) echo "FAIL Depends lacks libqt6websockets6: $depends"; fail=1 ;;
esac

version=$("$scratch/root/usr/bin/keepwatch" --version)
expected="keepwatch $(dpkg-deb --field "$deb" Version)"
if [ "$version" = "$expected" ]; then echo "ok   $version"; else echo "FAIL --version said '$version', expected '$expected'"; fail=1; fi

# The packaged binary also runs the engine (headless demo, one second).
if "$scratch/root/usr/bin/keepwatch" --headless --demo --data-dir "$scratch/data" --duration 1 --events - \
    | grep -q '"state":"up"'; then
    echo "ok   packaged binary runs the demo headless"
else
    echo "FAIL packaged binary did not bring the demo up"; fail=1
fi
# The example workspace that ships is valid (checked, never run: its hosts are examples).
if "$scratch/root/usr/bin/keepwatch" check --workspace "$scratch/root/usr/share/keepwatch/workspaces/example.json"; then
    echo "ok   shipped example workspace loads"
else
    echo "FAIL shipped example workspace does not load"; fail=1
fi
exit $fail
