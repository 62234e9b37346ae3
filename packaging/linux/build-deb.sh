#!/usr/bin/env bash
# Build a .deb of Branch Desk for the 信创 systems (统信UOS, 银河麒麟 Kylin) and older Debian/Ubuntu:
#   bash packaging/linux/build-deb.sh --arch amd64|arm64 --floor 2.31 [--smoke]
# The bundle is built inside a debootstrap root of the Debian release whose glibc is the floor (2.31: Debian 11), so
# it runs on any system with that glibc or newer. Python 3.11 is not part of Debian 11: it is compiled in the root
# from the source of Debian 12's python3.11 package. Wheels are pinned for the floor (constraints-<floor>.txt).
# --smoke then installs the .deb with apt into a clean root of the same release and runs packaging/smoke_test.py
# there. arm64 runs the root under qemu-user (slow: run by hand, not in CI). Output: dist/deb/. Build roots live in
# build/deb (BRANCHDESK_DEB_CACHE); nothing is installed on this machine beyond debootstrap (and qemu for arm64).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
ARCH=amd64 FLOOR=2.31 SMOKE=0
while [ $# -gt 0 ]; do
  case "$1" in
    --arch) ARCH=$2; shift 2 ;;
    --floor) FLOOR=$2; shift 2 ;;
    --smoke) SMOKE=1; shift ;;
    *) echo "usage: $0 --arch amd64|arm64 --floor 2.31 [--smoke]" >&2; exit 2 ;;
  esac
done
case "$FLOOR" in
  2.31) SUITE=bullseye ;;
  # 2.28 would be Debian 10 (UOS 20): its archive is no longer on the Debian mirrors, so no root can be made here.
  *) echo "floor $FLOOR is not supported (2.31 only)" >&2; exit 2 ;;
esac
case "$ARCH" in amd64|arm64) ;; *) echo "arch must be amd64 or arm64" >&2; exit 2 ;; esac
MIRROR=${BRANCHDESK_DEBIAN_MIRROR:-http://deb.debian.org/debian}
CACHE=${BRANCHDESK_DEB_CACHE:-$ROOT/build/deb}/$SUITE-$ARCH
BUILDROOT=$CACHE/build-root
OUT=$ROOT/dist/deb
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml | head -1)
PY_PREFIX=/opt/python3.11
mkdir -p "$CACHE" "$OUT"

source packaging/common.sh
MOUNTED=()
mount_root() {
  local r=$1
  for m in proc sys dev dev/pts; do
    mountpoint -q "$r/$m" && continue
    case $m in
      proc) mount -t proc proc "$r/proc" ;;
      *) mount --bind "/$m" "$r/$m" ;;
    esac
    MOUNTED=("$r/$m" "${MOUNTED[@]}")
  done
  cp /etc/resolv.conf "$r/etc/resolv.conf"
  # This machine's certificate bundle, for pip inside the root.
  cp /etc/ssl/certs/ca-certificates.crt "$r/etc/ssl/host-ca.crt"
}
umount_all() { for m in "${MOUNTED[@]}"; do umount -l "$m" 2>/dev/null || true; done; MOUNTED=(); }
# Remove a root: first whatever is still mounted inside it (a run that was killed), and never across a mount point.
remove_root() {
  local r=$1 m
  for m in dev/pts dev sys proc; do mountpoint -q "$r/$m" 2>/dev/null && umount -l "$r/$m"; done
  rm -rf --one-file-system "$r"
}
trap umount_all EXIT
in_root() { local r=$1; shift; chroot "$r" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin \
  HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive PIP_CERT=/etc/ssl/host-ca.crt \
  PIP_DEFAULT_TIMEOUT=120 PIP_DISABLE_PIP_VERSION_CHECK=1 "$@"; }

# Debian's packages that Qt needs at run time, present in the build root so PyInstaller can see what the wheels link.
RUN_PKGS="libgl1 libegl1 libxkbcommon0 libx11-6 libglib2.0-0 libfreetype6 libfontconfig1 libdbus-1-3 libxcb-cursor0
  libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 libxcb-render0 libxcb-shape0 libxcb-util1
  libxcb-xkb1 libxkbcommon-x11-0 libxcb-randr0 fontconfig"
# CPython needs a C compiler only (not build-essential's g++ and dpkg-dev) and the headers of the modules the program
# and PyInstaller use: ssl, zlib, bz2, lzma, ctypes (libffi), sqlite3, uuid.
BUILD_PKGS="gcc make libc6-dev binutils libssl-dev zlib1g-dev libbz2-dev libffi-dev libsqlite3-dev liblzma-dev
  uuid-dev xz-utils pkg-config"

step "host tools"
bash scripts/dev.sh setup bundle
bash packaging/prepare.sh
apt_install_retrying debootstrap
DEBOOTSTRAP_ARGS=(--variant=minbase --include=ca-certificates --arch "$ARCH")
if [ "$ARCH" != "$(dpkg --print-architecture)" ]; then
  apt_install_retrying qemu-user-static binfmt-support
  # A container or a machine without systemd may have binfmt_misc unmounted: then nothing runs the arm64 binaries.
  mountpoint -q /proc/sys/fs/binfmt_misc || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
  update-binfmts --enable qemu-aarch64 >/dev/null 2>&1 || true
fi

step "clean $SUITE/$ARCH root (for the install test)"
if [ ! -f "$CACHE/clean.tar" ]; then
  remove_root "$CACHE/clean"
  retry debootstrap "${DEBOOTSTRAP_ARGS[@]}" "$SUITE" "$CACHE/clean" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 ||
    { tail -20 "$CACHE/debootstrap.log"; exit 1; }
  # debootstrap can leave the root's /proc mounted: never pack (or delete) through it.
  for m in proc sys; do mountpoint -q "$CACHE/clean/$m" && umount -l "$CACHE/clean/$m"; done
  tar -C "$CACHE/clean" -cf "$CACHE/clean.tar" .
  remove_root "$CACHE/clean"
fi

step "build root: packages"
if [ ! -f "$BUILDROOT/.packages" ]; then
  remove_root "$BUILDROOT" && mkdir -p "$BUILDROOT" && tar -C "$BUILDROOT" -xf "$CACHE/clean.tar"
  mount_root "$BUILDROOT"
  retry in_root "$BUILDROOT" apt-get update -qq
  retry in_root "$BUILDROOT" apt-get install -y -qq --no-install-recommends $RUN_PKGS $BUILD_PKGS >/dev/null
  touch "$BUILDROOT/.packages"
fi
mount_root "$BUILDROOT"

step "build root: Python 3.11 from Debian 12's source package"
if [ ! -x "$BUILDROOT$PY_PREFIX/bin/python3.11" ]; then
  echo "deb-src $MIRROR bookworm main" >"$BUILDROOT/etc/apt/sources.list.d/bookworm-src.list"
  retry in_root "$BUILDROOT" apt-get update -qq
  rm -rf "$BUILDROOT/usr/src/python"
  mkdir -p "$BUILDROOT/usr/src/python"
  retry in_root "$BUILDROOT" sh -c 'cd /usr/src/python && apt-get source -qq --download-only python3.11'
  rm "$BUILDROOT/etc/apt/sources.list.d/bookworm-src.list"
  in_root "$BUILDROOT" apt-get update -qq
  # The quickest honest build, as it runs in every CI run: no PGO or LTO, -O2 without debug info (the bundle is
  # stripped anyway), no test modules, every core; the install skips precompiling the standard library three times
  # (compileall becomes `python -c pass`), since PyInstaller compiles what the bundle carries itself.
  TIMEFORMAT="python compiled and installed in %R s (user %U s, sys %S s)"
  time in_root "$BUILDROOT" sh -c "cd /usr/src/python && tar xf python3.11_*.orig.tar.* && cd Python-3.11.*/ &&
    ./configure -q --prefix=$PY_PREFIX --enable-shared --without-ensurepip --disable-test-modules \
      OPT='-DNDEBUG -fwrapv -O2' LDFLAGS=-Wl,-rpath,$PY_PREFIX/lib >/dev/null &&
    sed -i 's#[$](DESTDIR)[$](LIBDEST)/compileall.py#-c pass#' Makefile &&
    { make -s -j$(nproc) && make -s altinstall; } >/tmp/python-build.log 2>&1 ||
    { tail -40 /tmp/python-build.log; exit 1; }"
  rm -rf "$BUILDROOT/usr/src/python"
fi
in_root "$BUILDROOT" "$PY_PREFIX/bin/python3.11" -c 'import ssl, sqlite3, ctypes, lzma, bz2, zlib; print("python ok")'

step "build root: the project and its pinned wheels"
rm -rf "$BUILDROOT/src" && mkdir -p "$BUILDROOT/src"
tar -C "$ROOT" --exclude=./.venv --exclude=./dist --exclude=./build --exclude=.git -cf - . | tar -C "$BUILDROOT/src" -xf -
mkdir -p "$BUILDROOT/src/build" && cp -r build/fonts build/branchdesk.png build/branchdesk.ico "$BUILDROOT/src/build/"
[ -x "$BUILDROOT/venv/bin/python" ] || in_root "$BUILDROOT" "$PY_PREFIX/bin/python3.11" -m venv /venv
retry in_root "$BUILDROOT" /venv/bin/python -m pip install -q --only-binary=:all: \
  -c "/src/packaging/linux/constraints-$FLOOR.txt" "/src[bundle]"

step "build root: PyInstaller"
# The desktop libraries in packaging/linux/system-libs.txt come from the system through Depends (below) rather than
# inside the bundle (the spec leaves them out): X11/xcb, GLib, fontconfig/freetype, D-Bus, libstdc++, CUPS.
SYSTEM_DEPENDS=$(awk '!/^#/ && NF && $3 != "plain" {print $2}' packaging/linux/system-libs.txt | sort -u | paste -sd, | sed 's/,/, /g')
in_root "$BUILDROOT" sh -c "cd /src && /venv/bin/pyinstaller --noconfirm --clean --log-level WARN \
  --distpath /src/dist --workpath /src/build/pyinstaller packaging/branchdesk.spec"
BUNDLE=$BUILDROOT/src/dist/branchdesk
need=$(find "$BUNDLE" -type f \( -name '*.so*' -o -name branchdesk \) -exec objdump -T {} + 2>/dev/null |
  grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -1)
echo "bundle: $(du -sh "$BUNDLE" | cut -f1), needs $need (floor $FLOOR)"
[ "$(printf '%s\n' "GLIBC_$FLOOR" "$need" | sort -V | tail -1)" = "GLIBC_$FLOOR" ] ||
  { echo "the bundle needs $need, newer than the floor $FLOOR" >&2; exit 1; }
# Qt's uses of ICU against the bundle's slimmed ICU data, with the PySide6 of this root (the clean test root has none).
in_root "$BUILDROOT" sh -c "cd /src && QT_QPA_PLATFORM=offscreen /venv/bin/python packaging/linux/icu_probe.py dist/branchdesk"

step "dpkg-deb"
PKG=$CACHE/pkg
rm -rf "$PKG" && mkdir -p "$PKG/DEBIAN" "$PKG/opt" "$PKG/usr/bin" "$PKG/usr/share/applications"
cp -a "$BUNDLE" "$PKG/opt/branchdesk"
ln -s /opt/branchdesk/branchdesk "$PKG/usr/bin/branchdesk"
for d in build/icons/hicolor/*/; do
  mkdir -p "$PKG/usr/share/icons/hicolor/$(basename "$d")/apps"
  cp "$d/apps/branchdesk.png" "$PKG/usr/share/icons/hicolor/$(basename "$d")/apps/"
done
cat >"$PKG/usr/share/applications/branchdesk.desktop" <<DESKTOP
[Desktop Entry]
Type=Application
Name=Branch Desk
Name[zh_CN]=支部工作台
Comment=Offline workbench for Party branch secretaries
Comment[zh_CN]=党支部书记的离线工作台
Exec=/usr/bin/branchdesk
Icon=branchdesk
Terminal=false
Categories=Office;
StartupWMClass=branchdesk
DESKTOP
cat >"$PKG/DEBIAN/control" <<CONTROL
Package: branchdesk
Version: $VERSION
Section: misc
Priority: optional
Architecture: $ARCH
Maintainer: Branch Desk <branchdesk@localhost>
Installed-Size: $(du -sk "$PKG" | cut -f1)
Depends: libc6 (>= $FLOOR), libgl1, libegl1, libxcb1, fontconfig-config,
 $SYSTEM_DEPENDS
Recommends: fonts-noto-cjk | fonts-wqy-microhei
Description: 支部工作台 Branch Desk: offline workbench for grassroots Party branch secretaries
 Roster, dues, meetings and reports of one Party branch in one local SQLite file.
 Built for glibc $FLOOR and newer (Kylin V10, UOS with glibc >= $FLOOR, Debian 11+, Ubuntu 20.04+).
CONTROL
DEB=$OUT/branchdesk_${VERSION}_${ARCH}.deb
dpkg-deb --root-owner-group -Zxz -z3 --build "$PKG" "$DEB" >/dev/null
echo "deb: $DEB ($(du -sh "$DEB" | cut -f1))"
umount_all

[ "$SMOKE" = 1 ] || exit 0

step "install test in a clean $SUITE/$ARCH root"
TEST=$CACHE/test-root
remove_root "$TEST" && mkdir -p "$TEST" && tar -C "$TEST" -xf "$CACHE/clean.tar"
mount_root "$TEST"
cp "$DEB" "$TEST/tmp/branchdesk.deb"
cp packaging/smoke_test.py "$TEST/tmp/smoke_test.py"
retry in_root "$TEST" apt-get update -qq
retry in_root "$TEST" apt-get install -y -qq --no-install-recommends /tmp/branchdesk.deb python3 >/dev/null
in_root "$TEST" dpkg -s branchdesk | grep -E '^(Status|Version|Depends)'
cp packaging/linux/check-libs.sh "$TEST/tmp/check-libs.sh"
in_root "$TEST" sh /tmp/check-libs.sh /opt/branchdesk
in_root "$TEST" python3 /tmp/smoke_test.py /usr/bin/branchdesk
umount_all
remove_root "$TEST"
