#!/usr/bin/env bash
# The whole test suite: UI tests and build, formatting, lints, and every Rust unit and integration test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="${XDG_CACHE_HOME:-$HOME/.cache}/ringscope/tools-venv/bin:$PATH"
# The UI: type check, unit and component tests (Vitest), production build.
# npm install, not npm ci: this npm leaves other platforms' optional packages (esbuild, rollup, tauri-cli
# binaries) out of the lock, which npm ci then refuses; install still follows the committed lock.
npm --prefix ui install --no-audit --no-fund
npm --prefix ui test
npm --prefix ui run build
if cargo fmt --version >/dev/null 2>&1; then
  cargo fmt --all -- --check
else
  echo "test: rustfmt is not installed; skipping the format check"
fi
if cargo clippy --version >/dev/null 2>&1; then
  cargo clippy --workspace --all-targets --locked -- -D warnings
else
  echo "test: clippy is not installed; skipping lints"
fi
cargo test --workspace --locked
bash scripts/e2e.sh
