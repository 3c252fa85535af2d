#!/usr/bin/env bash
# Sets up the machine, builds Ringscope and imports the bundled sample case, then prints its summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo build --release -p ringscope-cli
# cargo run finds the binary wherever the target dir is (CARGO_TARGET_DIR, a config file, or ./target).
ringscope() { cargo run --quiet --release -p ringscope-cli -- "$@"; }
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
