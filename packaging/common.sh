# Helpers shared by the packaging scripts (sourced, not run): step headings with the time, retries of network
# fetches (a CI run must not fail on one dropped connection) and installing missing Debian packages with retries.
# scripts/dev.sh has its own installer for the development packages.

step() { echo "== $(date +%T) $*"; }

retry() {
  local n=1
  until "$@"; do
    [ $n -ge 4 ] && { echo "failed 4 times: $*" >&2; return 1; }
    sleep $((n * 10))
    n=$((n + 1))
  done
}

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo

apt_install_retrying() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing system packages: ${missing[*]}"
  retry $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive retry $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
