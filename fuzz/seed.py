#!/usr/bin/env python3
"""Fills fuzz/corpus/<target>/ with seeds taken from the shipped bank (content/).

- markup: every question, summary and answer of content/ as Markdown (read back from
  `qbank build --format json`, which keeps the Markdown as written), plus the hand-written
  edge cases in fuzz/seeds/markup/.
- load_section: each question of content/sections/*.yaml as its own small section file
  (id `fuzz`, as the target lists it), plus fuzz/seeds/load_section/.
- load_bank: content/bank.yaml, plus fuzz/seeds/load_bank/.

Run from anywhere: `python3 fuzz/seed.py`. It builds qbank (debug) into a temporary copy of
content/, never into content/ itself. Seeds are named by content hash, so rerunning is cheap.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

FUZZ = Path(__file__).resolve().parent
REPO = FUZZ.parent
CONTENT = REPO / "content"


def put(target: str, data: bytes) -> None:
    folder = FUZZ / "corpus" / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


def copy_hand_written(target: str) -> None:
    folder = FUZZ / "seeds" / target
    if folder.is_dir():
        for f in sorted(folder.iterdir()):
            put(target, f.read_bytes())


def markdown_seeds() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        bank = Path(tmp) / "content"
        shutil.copytree(CONTENT, bank)
        subprocess.run(
            ["cargo", "run", "--quiet", "--", "-q", "build", "--bank", str(bank),
             "--out", str(Path(tmp) / "dist"), "--format", "json"],
            cwd=REPO, check=True,
        )
        (doc,) = (Path(tmp) / "dist" / "json").glob("*.json")
        rendered = json.loads(doc.read_text(encoding="utf-8"))
    n = 0
    for part in rendered["parts"]:
        for section in part["sections"]:
            for q in section["questions"]:
                for md in q["source"].values():
                    if md:
                        put("markup", md.encode("utf-8"))
                        n += 1
    return n


def section_seeds() -> int:
    n = 0
    for path in sorted((CONTENT / "sections").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        head, _, body = text.partition("\nquestions:\n")
        head = re.sub(r"(?m)^id: .*$", "id: fuzz", head)
        for question in re.split(r"(?m)^(?=  - id: )", body):
            if question.strip():
                put("load_section", f"{head}\nquestions:\n{question}".encode("utf-8"))
                n += 1
    return n


def main() -> None:
    if not shutil.which("cargo"):
        sys.exit("cargo is needed to build qbank for the Markdown seeds")
    n_md = markdown_seeds()
    n_sec = section_seeds()
    put("load_bank", (CONTENT / "bank.yaml").read_bytes())
    for target in ("markup", "load_section", "load_bank"):
        copy_hand_written(target)
    print(f"seeds: {n_md} Markdown fields, {n_sec} one-question sections, bank.yaml "
          f"(plus fuzz/seeds/) in {os.path.relpath(FUZZ / 'corpus')}")


if __name__ == "__main__":
    main()
