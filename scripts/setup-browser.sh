#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the browser tests and the UI benchmark (playwright's own
# browser download does not work here). Prints the executable path on stdout; progress goes to stderr.
set -euo pipefail
bin="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$bin" ]; then
  echo "installing chromium with apt-get ..." >&2
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >&2
  $SUDO apt-get install -y -qq chromium >&2
fi
[ -x "$bin" ] || { echo "setup-browser: $bin still missing after install" >&2; exit 1; }
echo "$bin"
