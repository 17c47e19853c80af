#!/usr/bin/env bash
# Build the course pages: tools/book_build.sh [OUTDIR [SRCDIR]]
# (default: _build/html from book/)
#
# The pages must open with no network at all, so the two JavaScript libraries
# they need are served from the site itself instead of a CDN:
#   @jupyter-widgets/html-manager  draws the saved widget state (sliders, graph)
#   mathjax                        typesets the maths
# They are fetched here from the npm registry at a pinned version, checked
# against a pinned sha512, and cached in _build/book_assets (git-ignored), so
# only the first build needs the registry. They are not committed: together
# they are about 4 MB of minified code and fonts that every clone would carry,
# while only people building the pages need them.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=${1:-_build/html}
SRC=${2:-book}
BIN=${BIN:-.venv/bin}
export BOOK_ASSETS=$PWD/_build/book_assets
ASSETS=$BOOK_ASSETS

# name@version, then the registry's sha512 for that tarball
HTML_MANAGER=@jupyter-widgets/html-manager@1.0.15
HTML_MANAGER_SHA512=5thBIV6ymNgmPVOHvzx+gGy8ZSKmSazhtGw4/c4xJDVzRhG9PTeQsRjF3FUTopvFi//SABeNz1yp47bCrJ3CQA==
MATHJAX=mathjax@3.2.2
MATHJAX_SHA512=Bt+SSVU8eBG27zChVewOicYs7Xsdt40qm4+UpHyX7k0/O9NliPc+x77k1/FEsPsjKPZGJvtRZM1vO+geW0OhGw==

# fetch SPEC SHA512 DEST PATH... : unpack the listed paths of the package into DEST
fetch() {
  local spec=$1 sha=$2 dest=$3; shift 3
  [ -f "$dest/.complete" ] && [ "$(cat "$dest/.complete")" = "$spec" ] && return 0
  if ! command -v npm >/dev/null 2>&1; then
    echo "make book needs npm once, to fetch $spec from the npm registry." >&2
    echo "Install it (Debian/Ubuntu: sudo apt-get install npm; macOS: brew install node) and run make book again." >&2
    exit 1
  fi
  local tmp
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' RETURN
  echo "fetching $spec from the npm registry"
  (cd "$tmp" && npm pack --silent "$spec" >/dev/null)
  local tgz=("$tmp"/*.tgz)
  local got
  got=$("$BIN/python" -c 'import base64, hashlib, sys; print(base64.b64encode(hashlib.sha512(open(sys.argv[1], "rb").read()).digest()).decode())' "${tgz[0]}")
  if [ "$got" != "$sha" ]; then
    echo "$spec: sha512 mismatch (expected $sha, got $got); refusing to use it." >&2
    exit 1
  fi
  tar xzf "${tgz[0]}" -C "$tmp"
  rm -rf "$dest"
  mkdir -p "$dest"
  local path
  for path in "$@"; do
    mkdir -p "$dest/$(dirname "$path")"
    cp -R "$tmp/package/$path" "$dest/$path"
  done
  echo "$spec" > "$dest/.complete"
}

# embed.js finds its fonts next to itself, so they all go in one folder.
fetch "$HTML_MANAGER" "$HTML_MANAGER_SHA512" "$ASSETS/widgets" dist package.json
rm -f "$ASSETS"/widgets/dist/*.map "$ASSETS"/widgets/dist/*amd.js
# tex-chtml.js loads its fonts, and any TeX extension a lesson asks for, from
# folders next to itself.
fetch "$MATHJAX" "$MATHJAX_SHA512" "$ASSETS/mathjax" \
  LICENSE es5/tex-chtml.js es5/output/chtml/fonts/woff-v2 es5/input/tex/extensions es5/ui es5/a11y

"$BIN/sphinx-build" -W --keep-going -E -b html -q "$SRC" "$OUT"

# The student edition (every lesson without its solutions), which the pages
# link beside the whole course: only its zip goes on the site.
STUDENT=$(mktemp -d)
trap 'rm -rf "$STUDENT"' EXIT
"$BIN/python" tools/student_edition.py "$STUDENT" >/dev/null
mv "$STUDENT/micrograd_lite_student.zip" "$OUT/"
