#!/usr/bin/env bash
# The browser tests (make test, make browser) drive Debian's chromium. Install
# it with apt when root or with password-less sudo; otherwise stop and print
# what to run. The course itself needs no system program: graphs are drawn by
# graphviz-pure, which pip installs with the package.
set -euo pipefail

command -v chromium >/dev/null 2>&1 && exit 0

if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" = 0 ] || sudo -n true 2>/dev/null; }; then
  sudo=$([ "$(id -u)" = 0 ] || echo sudo)
  echo "Installing chromium with apt (for the browser tests) ..."
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

if ! command -v chromium >/dev/null 2>&1; then
  echo
  echo "The browser tests need chromium, and this script cannot install it here."
  echo "Install it, then run make again:"
  echo "  Debian/Ubuntu:  sudo apt-get install chromium"
  exit 1
fi
