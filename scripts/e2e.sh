#!/usr/bin/env bash
# End-to-end test of the real app window: the app built with its UI embedded, driven by tauri-driver and
# WebKitWebDriver under Xvfb. Screenshots of every step are written to out/e2e-screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
npm --prefix ui run build
# The CLI prepares the performance test's case. The embedded-assets app build writes the same binary path as a
# plain cargo build: build it last, right before use.
cargo build --workspace
ui/node_modules/.bin/tauri build --debug --no-bundle
target=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
export RINGSCOPE_APP="$target/debug/ringscope-app"
export RINGSCOPE_CLI="$target/debug/ringscope"
export E2E_SCREENSHOTS="$PWD/out/e2e-screenshots"
rm -rf "$E2E_SCREENSHOTS"
xvfb-run -a -s "-screen 0 1280x800x24" node ui/e2e/journey.mjs
xvfb-run -a -s "-screen 0 1280x800x24" node ui/e2e/desk.mjs
xvfb-run -a -s "-screen 0 1280x800x24" node ui/e2e/perf.mjs
