#!/usr/bin/env python3
"""Peer comparison: qbank against genanki (PyPI) and pandoc (Debian) on the same content.

Usage: python3 bench/peers.py [--size 10000] [--qbank target/release/qbank]

Needs pandoc on PATH (`apt-get install pandoc`); installs genanki, Markdown and Pygments
(pinned in bench/requirements.txt) into target/bench/venv. The content is a synthetic bank
from `qbank synth`; the peers read qbank's JSON model for the same Markdown sources.
Prints a table of wall time, peak memory and the ratio to qbank. qbank's wall time is the best
of three runs; each peer runs once (they take minutes).
"""

import argparse
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import ROOT, run, synth  # noqa: E402


def venv():
    path = os.path.join(ROOT, "target", "bench", "venv")
    py = os.path.join(path, "bin", "python")
    if not os.path.exists(py):
        subprocess.run([sys.executable, "-m", "venv", path], check=True)
        subprocess.run([py, "-m", "pip", "install", "-q", "-r",
                        os.path.join(ROOT, "bench", "requirements.txt")], check=True)
    return py


def pandoc_source(model, path):
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"---\ntitle: {model['meta']['title']}\nlang: en\n---\n\n")
        for part in model["parts"]:
            for section in part["sections"]:
                f.write(f"# {section['title']}\n\n")
                for q in section["questions"]:
                    src = q["source"]
                    f.write(f"## {src['question']}\n\n")
                    if src["answer"]:
                        f.write(f"{src['summary']}\n\n{src['answer']}\n\n")


def main():
    import json
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=10000)
    ap.add_argument("--qbank", default=os.path.join(ROOT, "target", "release", "qbank"))
    args = ap.parse_args()
    if shutil.which("pandoc") is None:
        sys.exit("pandoc is required: apt-get install pandoc")
    if not os.path.exists(args.qbank):
        subprocess.run(["cargo", "build", "--release", "--locked"], cwd=ROOT, check=True)
    py = venv()
    bank = synth(args.qbank, args.size)
    work = os.path.join(ROOT, "target", "bench", "peers")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    env = dict(os.environ, SOURCE_DATE_EPOCH="1900000000")
    out = os.path.join(work, "qbank")
    rows = []
    for fmt in ("anki", "epub", "print"):
        # qbank: the best of three runs (wall), as in bench.py; the peers run once (minutes).
        runs = [run([args.qbank, "-q", "build", "--bank", bank, "--out", out, "--format", fmt], env)
                for _ in range(3)]
        rows.append((fmt, "qbank", min(r[0] for r in runs), max(r[1] for r in runs)))
    run([args.qbank, "-q", "build", "--bank", bank, "--out", out, "--format", "json"], env)
    model_path = os.path.join(out, "json", "synthetic.json")
    model = json.load(open(model_path, encoding="utf-8"))
    rows.append(("anki", "genanki 0.13 + Markdown + Pygments",
                 *run([py, os.path.join(ROOT, "bench", "peer_genanki.py"), model_path,
                       os.path.join(work, "genanki")])))
    md = os.path.join(work, "book.md")
    pandoc_source(model, md)
    version = subprocess.run(["pandoc", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    rows.append(("epub", version, *run(["pandoc", md, "-o", os.path.join(work, "book.epub")])))
    rows.append(("print", version + " (standalone HTML)",
                 *run(["pandoc", md, "-s", "-o", os.path.join(work, "book.html")])))
    ours = {fmt: wall for fmt, tool, wall, _ in rows if tool == "qbank"}
    ours_rss = {fmt: rss for fmt, tool, _, rss in rows if tool == "qbank"}
    print(f"Peer comparison — {args.size:,} questions, {os.cpu_count()} cores")
    print()
    print("| output | tool | wall (s) | peak RSS (MiB) | time vs qbank | memory vs qbank |")
    print("|---|---|---:|---:|---:|---:|")
    for fmt, tool, wall, rss in sorted(rows, key=lambda r: (r[0], r[1] != "qbank")):
        ratio = "1×" if tool == "qbank" else f"{wall / ours[fmt]:.1f}×"
        mem = "1×" if tool == "qbank" else f"{rss / ours_rss[fmt]:.1f}×"
        print(f"| {fmt} | {tool} | {wall:.2f} | {rss:.0f} | {ratio} | {mem} |")


if __name__ == "__main__":
    main()
