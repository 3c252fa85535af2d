#!/usr/bin/env bash
# Sets up the machine, builds Ringscope and imports the bundled sample case, then prints its summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo build --release -p ringscope-cli
bin="${CARGO_TARGET_DIR:-target}/release/ringscope"
mkdir -p out
case_file=out/sample.ringscope
rm -f "$case_file" "$case_file-wal" "$case_file-shm"
"$bin" case init "$case_file" --title "Sample: chargeback spike on three creators" --reference ZD-48213 --investigator "${USER:-investigator}"
"$bin" import "$case_file" fixtures/sample/accounts.csv fixtures/sample/payments.csv
"$bin" import "$case_file" fixtures/sample/logins.csv --mapping fixtures/sample/logins.mapping.toml
echo
"$bin" case info "$case_file"
