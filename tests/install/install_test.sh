#!/usr/bin/env bash
# Installs a build into a temporary prefix (cmake --install --prefix) and runs the installed
# programs from a directory outside the source tree, as on a lecture-hall PC:
#   - every file in its standard place (programs, assets, desktop entry, icon, metainfo, man pages);
#   - the desktop entry and the AppStream metadata pass desktop-file-validate and appstreamcli;
#   - --version on both programs;
#   - a preset and an example graph that only the installed share/gradscope holds are found by
#     name (so the programs read the installed assets, not the build tree's);
#   - the installed gradscope renders that example under xvfb-run and records its output value.
# Usage: install_test.sh BUILD_DIR [BUILD_APP: ON|OFF]
set -euo pipefail
build=$(cd "$1" && pwd)
with_app=${2:-ON}
case "$with_app" in ON|on|1|TRUE|true|YES|yes) with_app=1 ;; *) with_app=0 ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "install test: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$tmp/usr" >"$tmp/install.log" || { cat "$tmp/install.log" >&2; fail "cmake --install failed"; }
prefix=$tmp/usr
cd "$tmp"
unset GRADSCOPE_ASSETS

files=(bin/gradscope-cli share/man/man1/gradscope-cli.1.gz
       share/gradscope/assets/presets/spiral.json share/gradscope/assets/examples/seed004.json)
if [ "$with_app" = 1 ]; then
  files+=(bin/gradscope share/man/man1/gradscope.1.gz
          share/applications/io.github.gradscope.Gradscope.desktop
          share/metainfo/io.github.gradscope.Gradscope.metainfo.xml
          share/icons/hicolor/scalable/apps/io.github.gradscope.Gradscope.svg)
fi
for f in "${files[@]}"; do [ -f "$prefix/$f" ] || fail "$f is not installed"; done

# Man pages: troff with a title line and the options of every command (gradscope-cli's --help-all).
zcat "$prefix/share/man/man1/gradscope-cli.1.gz" | grep -q '^\.TH GRADSCOPE-CLI "1"' || fail "gradscope-cli.1 has no .TH line"
zcat "$prefix/share/man/man1/gradscope-cli.1.gz" | grep -q 'milestones' || fail "gradscope-cli.1 lacks the schedule command's options"

cli=$prefix/bin/gradscope-cli
"$cli" --version | head -1 | grep -qx 'gradscope-cli [0-9.]*' || fail "gradscope-cli --version: $("$cli" --version)"
"$cli" --version | grep -q '^built for ' || fail "gradscope-cli --version does not name the instruction set"

# A preset and an example only the installed tree has.
sed '0,/"name": "xor"/s//"name": "install-check"/' "$prefix/share/gradscope/assets/presets/xor.json" \
  >"$prefix/share/gradscope/assets/presets/install-check.json"
out=$("$cli" train --preset install-check --epochs 1 --json --quiet 2>&1) || fail "train --preset install-check: $out"
echo "$out" | grep -q '"train_accuracy"' || fail "train --preset install-check printed no accuracy: $out"
cp "$prefix/share/gradscope/assets/examples/seed004.json" "$prefix/share/gradscope/assets/examples/install_check.json"
out=$("$cli" eval --graph "$prefix/share/gradscope/assets/examples/install_check.json" --json) || fail "eval: $out"
echo "$out" | grep -q '"output": 11.65207' || fail "eval of the installed seed 004 gave: $(echo "$out" | head -3)"

if [ "$with_app" = 1 ]; then
  app=$prefix/bin/gradscope
  "$app" --version | head -1 | grep -qx 'gradscope [0-9.]*' || fail "gradscope --version: $("$app" --version)"
  desktop-file-validate "$prefix/share/applications/io.github.gradscope.Gradscope.desktop" || fail "desktop-file-validate"
  appstreamcli validate --no-net "$prefix/share/metainfo/io.github.gradscope.Gradscope.metainfo.xml" >"$tmp/as.log" 2>&1 ||
    { cat "$tmp/as.log" >&2; fail "appstreamcli validate"; }
  xvfb-run -a "$app" --screenshot "$tmp/shot.png" --example install_check --steps forward:7 --size 1024x768 \
    >"$tmp/app.log" 2>&1 || { cat "$tmp/app.log" >&2; fail "the installed gradscope could not take a screenshot"; }
  [ -s "$tmp/shot.png" ] || fail "no screenshot written"
  grep -q '11\.65' "$tmp/shot.json" || fail "the screenshot's frame record does not show y = 11.652"
fi
echo "install test: installed into $prefix and ran from $tmp: ok"
