#!/usr/bin/env bash
# Build the one-folder bundle dist/branchdesk/ on this machine (Linux here; the same spec builds on Windows).
#   bash packaging/build.sh            build
#   bash packaging/build.sh --smoke    build, then run the smoke test of the frozen app
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV=${BRANCHDESK_VENV:-$ROOT/.venv}
if [ ! -x "$VENV/bin/pyinstaller" ] || [ pyproject.toml -nt "$VENV/.installed-bundle" ]; then
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q -e ".[bundle]"
  touch "$VENV/.installed-bundle"
fi
mkdir -p build/fonts
# The CJK font travels with the bundle so Chinese shows on a machine without Chinese fonts.
font=$(fc-match -f '%{file}' "Noto Sans CJK SC:style=Regular" 2>/dev/null || true)
if [ -n "$font" ] && [ -f "$font" ]; then cp -u "$font" build/fonts/; else echo "warning: no Noto Sans CJK font found; the bundle will rely on system fonts" >&2; fi
QT_QPA_PLATFORM=offscreen "$VENV/bin/python" packaging/make_icon.py
"$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN \
  --distpath "$ROOT/dist" --workpath "$ROOT/build/pyinstaller" packaging/branchdesk.spec
echo "bundle: $ROOT/dist/branchdesk ($(du -sh dist/branchdesk | cut -f1))"
if [ "${1:-}" = "--smoke" ]; then
  "$VENV/bin/python" packaging/smoke_test.py "$ROOT/dist/branchdesk/branchdesk"
fi
