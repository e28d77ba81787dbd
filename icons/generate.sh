#!/usr/bin/env bash
# Regenerates every icon in src-tauri/icons/ from the SVGs in this folder.
# Needs: Node.js with npx (the Tauri CLI comes from npm) and rsvg-convert
# (Debian package librsvg2-bin).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/../src-tauri/icons"
mkdir -p "$out"

command -v rsvg-convert >/dev/null 2>&1 || {
  echo "rsvg-convert not found: apt-get install librsvg2-bin" >&2; exit 1; }

# App icons: the Tauri CLI renders the SVG itself (PNG sizes, .ico, .icns).
npx --yes @tauri-apps/cli@2 icon "$here/stint.svg" -o "$out"

# Keep only what a Tauri 2 desktop bundle uses.
rm -rf "$out"/Square*.png "$out"/StoreLogo.png "$out"/android "$out"/ios

# Tray icons: 64x64 RGBA PNGs.
for state in stopped running idle; do
  rsvg-convert -w 64 -h 64 -f png -o "$out/tray-$state.png" "$here/tray-$state.svg"
done

ls -l "$out"
