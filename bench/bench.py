#!/usr/bin/env python3
"""qbank's benchmark: wall time and peak memory per format on synthetic banks.

Usage: python3 bench/bench.py [--sizes 1000,10000,100000] [--formats json,anki,epub,print,all]
                              [--repeat 3] [--qbank target/release/qbank] [--steps 10000]

Builds the release binary first if needed (`cargo build --release`), writes synthetic banks
with `qbank synth` (answers copied from content/, so real lengths and code blocks) into
target/bench/, then times `qbank build` per format (the best of --repeat runs; peak memory is
the largest max RSS of those runs). Then it prints where the time of one all-formats build of
the --steps bank goes, from `qbank -v build` (steps that run at the same time overlap).
Standard library only.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(cmd, env=None):
    """Runs a command; returns (wall seconds, peak RSS in MiB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode()
    if status != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{err}")
    return wall, usage.ru_maxrss / 1024


def synth(qbank, size):
    bank = os.path.join(ROOT, "target", "bench", "banks", str(size))
    if not os.path.exists(os.path.join(bank, "bank.yaml")):
        subprocess.run([qbank, "-q", "synth", "--from", os.path.join(ROOT, "content"),
                        "--questions", str(size), bank], check=True)
    return bank


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--formats", default="json,anki,epub,print,all")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--qbank", default=os.path.join(ROOT, "target", "release", "qbank"))
    ap.add_argument("--steps", type=int, default=10000, help="bank size for the step breakdown (0: none)")
    args = ap.parse_args()
    if not os.path.exists(args.qbank):
        subprocess.run(["cargo", "build", "--release", "--locked"], cwd=ROOT, check=True)
    env = dict(os.environ, SOURCE_DATE_EPOCH="1900000000")
    print(f"qbank benchmark — {os.cpu_count()} cores, {args.qbank}")
    print()
    print("| bank | format | wall (s) | peak RSS (MiB) |")
    print("|---:|---|---:|---:|")
    banks = [("shipped (421)", os.path.join(ROOT, "content"))]
    banks += [(f"{int(s):,}", None) for s in args.sizes.split(",") if s]
    for label, bank in banks:
        size = label.replace(",", "")
        if bank is None:
            bank = synth(args.qbank, int(size))
        else:
            # Never touch the repository's lock: build a copy.
            copy = os.path.join(ROOT, "target", "bench", "banks", "shipped")
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(bank, copy)
            bank = copy
        out = os.path.join(ROOT, "target", "bench", "out")
        repeat = 1 if size.isdigit() and int(size) >= 100_000 else args.repeat
        for fmt in args.formats.split(","):
            cmd = [args.qbank, "-q", "build", "--bank", bank, "--out", out]
            if fmt != "all":
                cmd += ["--format", fmt]
            runs = [run(cmd, env) for _ in range(repeat)]
            wall = min(r[0] for r in runs)
            rss = max(r[1] for r in runs)
            print(f"| {label} | {fmt} | {wall:.2f} | {rss:.0f} |", flush=True)
    if args.steps:
        steps(args.qbank, args.steps, env)


def steps(qbank, size, env):
    """Prints the wall time of each step of one all-formats build (`qbank -v build`)."""
    bank = synth(qbank, size)
    out = os.path.join(ROOT, "target", "bench", "out")
    # Twice: the first build replaces outputs of other banks (deleting them counts in
    # `publish`); the second replaces its own, as a rebuild does.
    for _ in range(2):
        proc = subprocess.run([qbank, "-v", "build", "--bank", bank, "--out", out],
                              env=env, capture_output=True, text=True, check=True)
    print()
    print(f"Where the time of one all-formats build of {size:,} questions goes (`qbank -v build`):")
    print()
    print("| step | wall (ms) |")
    print("|---|---:|")
    for line in proc.stderr.splitlines():
        m = re.match(r"^\s+([\d.]+) ms  (.*)$", line)
        if m:
            print(f"| {m.group(2)} | {float(m.group(1)):.0f} |")


if __name__ == "__main__":
    main()
