#!/usr/bin/env bash
# Resources every bundle carries, made on this (Linux) machine into build/: the subset CJK font and the icons
# (multi-size .ico, .png, hicolor sizes). Used by packaging/build.sh, packaging/windows/build.sh and
# packaging/linux/build-deb.sh. Needs the venv of `bash scripts/dev.sh setup bundle`.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV=${BRANCHDESK_VENV:-$ROOT/.venv}
mkdir -p build/fonts
# The CJK font travels with the bundle so Chinese shows on a machine without Chinese fonts. Only the Simplified
# Chinese face of the collection and the characters a roster can hold (CJK basic block, punctuation, Latin):
# 11 MB instead of 19 MB.
font=$(fc-match -f '%{file}' "Noto Sans CJK SC:style=Regular" 2>/dev/null || true)
if [ -n "$font" ] && [ -f "$font" ] && [ ! -f build/fonts/NotoSansCJKsc-Regular-subset.otf ]; then
  index=$(fc-query -f '%{index} %{family[0]}\n' "$font" | awk '$2" "$3" "$4" "$5=="Noto Sans CJK SC" {print $1; exit}')
  "$VENV/bin/pyftsubset" "$font" --font-number="${index:-2}" --layout-features='*' \
    --unicodes="U+0020-007E,U+00A0-00FF,U+2000-206F,U+2190-21FF,U+2460-24FF,U+25A0-25FF,U+3000-303F,U+3200-32FF,U+4E00-9FFF,U+FF00-FFEF" \
    --output-file=build/fonts/NotoSansCJKsc-Regular-subset.otf
elif [ -z "$font" ]; then
  echo "warning: no Noto Sans CJK font found; the bundle will rely on system fonts" >&2
fi
QT_QPA_PLATFORM=offscreen "$VENV/bin/python" packaging/make_icon.py
