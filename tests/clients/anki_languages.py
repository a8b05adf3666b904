"""Imports a bank's Anki package with the official Anki library and checks the cards a learner
sees (of a bank in another language, or with math): every note is there and the rendered
cards hold the given texts.

Usage: python anki_languages.py APKG NOTES TEXT...
Prints one line per check and a closing 'N passed, N failed' line; exits non-zero on failure.
"""

import os
import sys
import tempfile


APKG, NOTES, TEXTS = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
from learner import import_apkg, new_collection
from tally import check, finish


with tempfile.TemporaryDirectory() as work:
    col = new_collection(work, "learner")
    import_apkg(col, APKG)
    notes = col.find_notes("")
    check(f"{NOTES} notes imported", len(notes) == NOTES, f"got {len(notes)}")
    cards = [col.get_card(c) for c in col.find_cards("")]
    rendered = "\n".join(c.question() + c.answer() for c in cards)
    for text in TEXTS:
        check(f"cards show {text!r}", text in rendered, rendered[:400])
    col.close()

finish()
