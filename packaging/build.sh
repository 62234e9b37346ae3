#!/usr/bin/env bash
# Build the one-folder bundle dist/branchdesk/ on this machine (Linux here; the same spec builds on Windows, and
# packaging/windows/build.sh builds the Windows bundle here under wine).
#   bash packaging/build.sh            build
#   bash packaging/build.sh --smoke    build, then run the smoke test of the frozen app
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV=${BRANCHDESK_VENV:-$ROOT/.venv}
# System packages Qt needs (the icon is rendered with Qt) and the venv with PyInstaller and fontTools.
bash scripts/dev.sh setup bundle
bash packaging/prepare.sh
"$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN \
  --distpath "$ROOT/dist" --workpath "$ROOT/build/pyinstaller" packaging/branchdesk.spec
echo "bundle: $ROOT/dist/branchdesk ($(du -sh dist/branchdesk | cut -f1))"
if [ "${1:-}" = "--smoke" ]; then
  sh packaging/linux/check-libs.sh "$ROOT/dist/branchdesk"
  "$VENV/bin/python" packaging/smoke_test.py "$ROOT/dist/branchdesk/branchdesk"
fi
