#!/bin/sh
# Check that every library and Qt plugin of an installed Linux bundle finds the libraries it links, in the bundle
# (the frozen program puts _internal on the library path) or on the system (packaging/linux/system-libs.txt).
# The smoke test runs offscreen and never prints on a printer, so without this a missing X11 or CUPS library would
# only show on a user's desktop.   sh packaging/linux/check-libs.sh /opt/branchdesk
set -eu
internal=$1/_internal
missing=$(find "$internal" -type f -name '*.so*' | while read -r f; do
  LD_LIBRARY_PATH=$internal ldd "$f" 2>/dev/null | grep 'not found' | sed "s|^|${f#"$internal"/}: |"
done)
if [ -n "$missing" ]; then
  echo "$missing" >&2
  echo "libraries missing on this system (above): install their packages (packaging/linux/system-libs.txt)" >&2
  exit 1
fi
echo "every bundled library finds what it links: ok"
