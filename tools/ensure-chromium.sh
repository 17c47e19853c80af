#!/usr/bin/env bash
# Installs the system programs the course needs, where this machine lets us:
#   dot       (Graphviz) draws the computation graphs; every lesson needs it.
#   chromium  drives the browser tests; only `make test` needs it.
# Installs with apt when root or with password-less sudo, or into the active
# conda env; otherwise stops and prints exactly what to run.
set -euo pipefail

need=()
command -v dot >/dev/null 2>&1 || need+=(graphviz)
if [ "${NEED_CHROMIUM:-1}" = 1 ] && ! command -v chromium >/dev/null 2>&1; then
  need+=(chromium)
fi
[ ${#need[@]} -eq 0 ] && exit 0

apt_install() {
  local sudo=$1; shift
  echo "Installing ${*} with apt ..."
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  apt_install "" "${need[@]}"
elif command -v apt-get >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  apt_install sudo "${need[@]}"
elif [ -n "${CONDA_PREFIX:-}" ] && command -v conda >/dev/null 2>&1 && [[ " ${need[*]} " == *" graphviz "* ]]; then
  echo "Installing graphviz into the conda env $CONDA_PREFIX ..."
  conda install -y -q -c conda-forge graphviz
fi

missing=()
command -v dot >/dev/null 2>&1 || missing+=(dot)
if [ ${#missing[@]} -gt 0 ]; then
  echo
  echo "The Graphviz program 'dot' is missing, and this script cannot install it here."
  echo "Install it with one of these, then run make again:"
  echo "  Debian/Ubuntu:  sudo apt-get install graphviz"
  echo "  Fedora:         sudo dnf install graphviz"
  echo "  macOS:          brew install graphviz"
  echo "  conda:          conda install -c conda-forge graphviz"
  exit 1
fi
if [ "${NEED_CHROMIUM:-1}" = 1 ] && ! command -v chromium >/dev/null 2>&1; then
  echo "note: chromium is missing, so the browser tests will fail."
  echo "      Install it with: sudo apt-get install chromium"
fi
