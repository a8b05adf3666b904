"""The check-and-count every client script shares: `check` prints one line per check, `finish`
prints the closing 'N passed, N failed' line and exits non-zero on any failure."""

import sys

_counts = {"passed": 0, "failed": 0}


def check(name, ok, detail=""):
    if ok:
        _counts["passed"] += 1
        print(f"ok   {name}")
    else:
        _counts["failed"] += 1
        print(f"FAIL {name} {detail}")


def finish():
    print(f"{_counts['passed']} passed, {_counts['failed']} failed")
    sys.exit(1 if _counts["failed"] else 0)
