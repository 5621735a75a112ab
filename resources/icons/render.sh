#!/bin/sh
# Renders the committed icon files from keepwatch.svg (run it after changing the SVG):
# hicolor/NxN/keepwatch.png for the Linux icon theme, keepwatch.icns for the macOS bundle and
# keepwatch.ico for the Windows installer and executable.
# Debian: apt-get install librsvg2-bin icnsutils python3
set -eu
cd "$(dirname "$0")"
for size in 16 24 32 48 64 128 256 512; do
    mkdir -p "hicolor/${size}x${size}"
    rsvg-convert -w "$size" -h "$size" keepwatch.svg -o "hicolor/${size}x${size}/keepwatch.png"
done
png2icns keepwatch.icns hicolor/16x16/keepwatch.png hicolor/32x32/keepwatch.png hicolor/48x48/keepwatch.png \
    hicolor/128x128/keepwatch.png hicolor/256x256/keepwatch.png hicolor/512x512/keepwatch.png >/dev/null
# An .ico holding PNG images (Windows Vista and later read these).
python3 - <<'PY'
import struct
sizes = [16, 24, 32, 48, 64, 128, 256]
images = [open(f"hicolor/{s}x{s}/keepwatch.png", "rb").read() for s in sizes]
out = struct.pack("<HHH", 0, 1, len(images))
offset = 6 + 16 * len(images)
for size, data in zip(sizes, images):
    dim = 0 if size == 256 else size
    out += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
    offset += len(data)
open("keepwatch.ico", "wb").write(out + b"".join(images))
PY
