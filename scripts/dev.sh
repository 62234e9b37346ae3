#!/usr/bin/env bash
# One entry point for a fresh Debian machine (run as root, or as a user with sudo):
#   bash scripts/dev.sh run     install what is needed, then start Branch Desk on the default database
#   bash scripts/dev.sh test    install what is needed (plus test tools), then run every test
#   bash scripts/dev.sh bench   install, then run the benchmarks (they print figures)
#   bash scripts/dev.sh setup [EXTRAS]   only install (system packages and the venv with those extras)
# Idempotent: packages and the virtual environment are only installed when missing or out of date.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV=${BRANCHDESK_VENV:-$ROOT/.venv}
MODE=${1:-run}
shift || true

# Debian packages Qt needs offscreen and in a window, a CJK font (else every Chinese character is a box),
# poppler-utils to look at printed PDFs. Tests also need LibreOffice to read our workbooks a second way (Calc) and to
# convert the Word forms to PDF (Writer).
RUN_PKGS="libgl1 libegl1 libxkbcommon0 libx11-6 libglib2.0-0 libfreetype6 libfontconfig1 libdbus-1-3
  libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 libxcb-render0 libxcb-shape0
  libxcb-util1 libxcb-xkb1 libxkbcommon-x11-0 fontconfig fonts-noto-cjk"
TEST_PKGS="poppler-utils libreoffice-calc-nogui libreoffice-writer-nogui"
# The libraries a Linux bundle takes from the system instead of carrying them (CUPS for printing, X11, GLib, …):
# its runtime dependencies, so a machine set up here runs the bundle and its smoke test.
RUN_PKGS="$RUN_PKGS $(awk '!/^#/ && NF {print $2}' packaging/linux/system-libs.txt | sort -u | tr '\n' ' ')"

apt_install() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null; then
    echo "missing system packages (install them by hand): ${missing[*]}" >&2; return 0
  fi
  local SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  echo "installing system packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The bundle step: PyInstaller reads binaries with objdump (binutils) and needs the Python shared library, which
# Debian's python3 does not install (package libpythonX.Y). A bare Debian 12 has neither.
bundle_prereqs() {
  apt_install binutils
  local PY=${PYTHON:-python3}
  local so
  so=$("$PY" -c 'import sysconfig as s; print(s.get_config_var("INSTSONAME") or "")')
  local libdir
  libdir=$("$PY" -c 'import sysconfig as s; print(s.get_config_var("LIBDIR") or "")')
  if [ -n "$so" ] && [ ! -e "$libdir/$so" ] && ! /sbin/ldconfig -p 2>/dev/null | grep -q " $so "; then
    local ver
    ver=$("$PY" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    apt_install "libpython$ver"
  fi
}

python_ok() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; }

ensure_venv() {
  local extras=$1
  local PY=${PYTHON:-python3}
  python_ok "$PY" || { echo "Python 3.11 or newer is needed" >&2; exit 1; }
  if [ ! -x "$VENV/bin/python" ]; then
    "$PY" -m venv "$VENV" 2>/dev/null || { apt_install python3-venv; "$PY" -m venv "$VENV"; }
  fi
  local spec="."; [ -n "$extras" ] && spec=".[$extras]"
  local stamp="$VENV/.installed-${extras:-base}"
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q -e "$spec"
    touch "$stamp"
  fi
}

case "$MODE" in
  run)
    apt_install $RUN_PKGS
    ensure_venv ""
    exec "$VENV/bin/branchdesk" "$@"
    ;;
  test)
    apt_install $RUN_PKGS $TEST_PKGS
    ensure_venv test
    export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
    exec "$VENV/bin/python" -m pytest -n 2 -q "$@"
    ;;
  bench)
    apt_install $RUN_PKGS
    ensure_venv test
    export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
    for b in bench/bench_*.py; do echo "== $b"; "$VENV/bin/python" "$b" "$@"; done
    ;;
  setup)
    apt_install $RUN_PKGS
    case ",${1:-}," in *,bundle,*) bundle_prereqs ;; esac
    ensure_venv "${1:-}"
    ;;
  *)
    echo "usage: bash scripts/dev.sh run|test|bench|setup [args]" >&2; exit 2
    ;;
esac
