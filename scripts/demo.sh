#!/usr/bin/env bash
# Sets up the machine, builds Ringscope, imports the bundled sample case, lists its rings, exports and verifies a
# signed evidence packet for the top ring, and opens the desktop app on the case when there is a display.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The dev profile, workspace-wide, as scripts/test.sh builds it: on a new machine the demo's build is the one the
# test suite reuses (a release build would compile every dependency a second time).
cargo build --workspace
target=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
ringscope() { "$target/debug/ringscope" "$@"; }
mkdir -p out
case_file=out/sample.ringscope
rm -f "$case_file" "$case_file-wal" "$case_file-shm"
ringscope case init "$case_file" --title "Sample: chargeback spike on three creators" --reference ZD-48213 --investigator "${USER:-investigator}"
ringscope import "$case_file" fixtures/sample/accounts.csv fixtures/sample/payments.csv
ringscope import "$case_file" fixtures/sample/logins.csv --mapping fixtures/sample/logins.mapping.toml
echo
ringscope case info "$case_file"
echo
ringscope rings "$case_file"
echo
rm -rf out/packets out/demo-key.key out/demo-key.pub
ringscope keygen --out out/demo-key
ringscope export "$case_file" --ring R-0001 --out out/packets --zip --sign out/demo-key.key
ringscope verify out/packets/*.zip --pubkey out/demo-key.pub

# With a display, open the sample case in the desktop app.
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  npm --prefix ui install --no-audit --no-fund
  npm --prefix ui run build
  ui/node_modules/.bin/tauri build --debug --no-bundle
  "$target/debug/ringscope-app" "$case_file"
else
  echo
  echo "No display: skipping the desktop app. Run scripts/demo.sh from a desktop session to open it on $case_file."
fi
