#!/usr/bin/env bash
# Installs what building and testing Ringscope needs on a Debian/Ubuntu machine. Safe to run again.
set -euo pipefail

need_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# minisign and poppler-utils (pdftotext, pdftoppm) are the tools legal uses on packets; the tests use them too.
# libwebkit2gtk-4.1-dev builds the desktop app (Tauri 2); nodejs/npm build its UI.
# xvfb, xauth and webkit2gtk-driver run the end-to-end tests of the real window.
apt_packages=(build-essential pkg-config ca-certificates minisign poppler-utils time sqlite3 python3 python3-venv libwebkit2gtk-4.1-dev
  xvfb xauth webkit2gtk-driver)
command -v npm >/dev/null 2>&1 || apt_packages+=(nodejs npm)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done

# Rust 1.85+ (edition 2024). Use the machine's toolchain when it is new enough, else Debian's rustc-web/cargo-web.
rust_ok() {
  command -v cargo >/dev/null 2>&1 || return 1
  local v; v=$(rustc --version 2>/dev/null | awk '{print $2}')
  [ -n "$v" ] && [ "$(printf '%s\n' 1.85.0 "$v" | sort -V | head -1)" = "1.85.0" ]
}
rust_ok || missing+=(rustc-web cargo-web)

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  need_root apt-get update -qq
  need_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
rust_ok || { echo "setup: no Rust 1.85+ toolchain could be installed" >&2; exit 1; }

# bagit.py (the Library of Congress BagIt validator) from PyPI, in a venv of its own: scripts/test.sh puts it on PATH.
tools="${XDG_CACHE_HOME:-$HOME/.cache}/ringscope/tools-venv"
if [ ! -x "$tools/bin/bagit.py" ]; then
  echo "setup: installing bagit into $tools"
  python3 -m venv "$tools"
  "$tools/bin/pip" install --quiet --disable-pip-version-check bagit
fi
# tauri-driver (pinned to 2.x: the registry's newest are 3.0 alphas) bridges WebDriver to WebKitWebDriver.
if ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
  echo "setup: installing tauri-driver"
  cargo install tauri-driver --version '^2' --locked --quiet
fi
echo "setup: $(cargo --version)"
