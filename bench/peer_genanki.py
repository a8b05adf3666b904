"""The genanki side of the peer comparison: per-section and combined .apkg from qbank's JSON
model, Markdown rendered by Python-Markdown with Pygments highlighting (codehilite), the way a
typical Python deck generator does it. Usage: peer_genanki.py MODEL.json OUT_DIR"""

import hashlib
import json
import os
import sys

import genanki
import markdown

model_json, out = sys.argv[1], sys.argv[2]
bank = json.load(open(model_json, encoding="utf-8"))
os.makedirs(os.path.join(out, "sections"), exist_ok=True)
md = markdown.Markdown(extensions=["fenced_code", "codehilite", "tables"])


def stable(*parts):
    return int(hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:12], 16)


model = genanki.Model(
    stable("model"), "Peer",
    fields=[{"name": n} for n in ("Question", "Summary", "Answer", "Section", "Id")],
    templates=[{"name": "Card", "qfmt": "{{Question}}",
                "afmt": "{{FrontSide}}<hr id=answer>{{Summary}}{{Answer}}"}],
)
all_decks = []
for part in bank["parts"]:
    for section in part["sections"]:
        deck = genanki.Deck(stable("deck", section["id"]), f"{bank['meta']['title']}::{section['title']}")
        for q in section["questions"]:
            src = q["source"]
            if not src["answer"]:
                continue
            fields = [md.reset().convert(src["question"]), md.reset().convert(src["summary"] or ""),
                      md.reset().convert(src["answer"]), section["title"], q["id"]]
            deck.add_note(genanki.Note(model=model, fields=fields, guid=genanki.guid_for(q["id"])))
        genanki.Package(deck).write_to_file(os.path.join(out, "sections", section["id"] + ".apkg"))
        all_decks.append(deck)
genanki.Package(all_decks).write_to_file(os.path.join(out, "bank.apkg"))
