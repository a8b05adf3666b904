"""Imports qbank's Anki packages with the official Anki library and checks what a learner gets.

Usage: python anki_verify.py QBANK_BINARY CONTENT_DIR WORK_DIR

Scenario, on a copy of the bank:
  1. fresh import: notes and cards per deck equal the answered questions; deck names; fields;
     sort field; rendered card HTML has highlighted code and no <script>;
  2. importing the same package again changes nothing;
  3. a card is reviewed and the learner edits another note;
  4. one answer is edited in the bank and the packages rebuilt: importing updates exactly that
     note (0 new, 0 duplicates), the reviewed card keeps its history, the learner's edit stays;
  5. per-section packages import on their own, and on top of the combined one add nothing;
  6. --include-unanswered puts every question in, saying so on the back.
Prints one line per check and a closing 'N passed, N failed' line; exits non-zero on failure.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time


QBANK, CONTENT, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
import learner
from learner import import_apkg
from tally import check, finish


def build(bank, out, epoch, *extra):
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(epoch))
    subprocess.run([QBANK, "-q", "build", "--bank", bank, "--out", out, "--format", "anki,json", *extra],
                   check=True, env=env)
    with open(os.path.join(out, "json", "python-django-interview.json")) as f:
        return json.load(f)


def new_collection(name):
    return learner.new_collection(WORK, name)


bank = os.path.join(WORK, "bank")
shutil.copytree(CONTENT, bank)
# The timeline of a real release cycle: the first build is older than the learner's edits
# (made now, during study); the second build comes after them.
NOW = int(time.time())
T1 = NOW - 10 * 86400
model = build(bank, os.path.join(WORK, "dist1"), T1)
title = model["meta"]["title"]
sections = [s for p in model["parts"] for s in p["sections"]]
answered = {s["id"]: [q for q in s["questions"] if q["answer"]] for s in sections}
total_answered = sum(len(v) for v in answered.values())
apkg1 = os.path.join(WORK, "dist1", "anki", "python-django-interview.apkg")

# 1. Fresh import.
col = new_collection("learner")
log = import_apkg(col, apkg1)
check("fresh import: every answered question is a new note", len(log.new) == total_answered,
      f"{len(log.new)} != {total_answered}")
check("fresh import: one card per note", col.card_count() == col.note_count() == total_answered)
for s in sections:
    if not answered[s["id"]]:
        continue
    deck = f"{title}::{s['title']}"
    n = len(col.find_cards(f'"deck:{deck}"'))
    if n != len(answered[s["id"]]):
        check(f"deck {deck} holds its section's answered questions", False, f"{n}")
check("every section deck holds its answered questions",
      all(len(col.find_cards(f'"deck:{title}::{s["title"]}"')) == len(answered[s["id"]]) for s in sections))
nid = col.find_notes("")[0]
note = col.get_note(nid)
check("fields are frozen", note.keys() == ["Question", "Summary", "Answer", "Section", "Id", "Level"], note.keys())
check("no note has an empty or boolean sort field (genanki-rs writes `false`)",
      not col.db.scalar("select count() from notes where sfld in ('', '0', 0)"))
q0 = answered[sections[0]["id"]][0]
first = col.get_note(col.find_notes(f'"Id:{q0["id"]}"')[0])
check("sort field is the plain question", col.db.scalar("select sfld from notes where id = ?", first.id) ==
      q0["source"]["question"].replace("`", ""), col.db.scalar("select sfld from notes where id = ?", first.id))
cards = [col.get_card(c) for c in col.find_cards("")]
check("card answers show highlighted code", any("hl-" in c.answer() for c in cards))
check("no card has a <script>", not any("<script" in c.question() + c.answer() for c in cards))
css = first.note_type()["css"]
check("notetype CSS has night-mode styles", ".nightMode" in css)
check("notetype CSS loads nothing remote", "http://" not in css and "https://" not in css and "@import" not in css)
check("tags carry the section id, under qbank::", f"qbank::section::{sections[0]['id']}" in first.tags, first.tags)
check("no duplicate Id fields", len({col.get_note(n)["Id"] for n in col.find_notes("")}) == total_answered)

# 2. Same package again.
log = import_apkg(col, apkg1)
check("re-import: nothing new", len(log.new) == 0, len(log.new))
check("re-import: nothing updated", len(log.updated) == 0, len(log.updated))

# 3. Review the card we are going to change; the learner edits another note.
target = q0["id"]
other = answered[sections[0]["id"]][1]["id"]
tcard = col.get_card(col.find_cards(f'"Id:{target}"')[0])
tcard.start_timer()
col.sched.answerCard(tcard, 3)
reviews_before = col.db.scalar("select count() from revlog where cid = ?", tcard.id)
check("the card was reviewed", reviews_before == 1, reviews_before)
onote = col.get_note(col.find_notes(f'"Id:{other}"')[0])
onote["Summary"] = onote["Summary"] + "<p>My own mnemonic.</p>"
col.update_note(onote)

# 4. Improve one answer in the bank and rebuild later.
path = os.path.join(bank, "sections", sections[0]["id"] + ".yaml")
text = open(path, encoding="utf-8").read()
marker = f"  - id: {target}\n"
start = text.index(marker)
ans = text.index("    answer: |\n", start) + len("    answer: |\n")
text = text[:ans] + "      An improved first paragraph.\n\n" + text[ans:]
open(path, "w", encoding="utf-8").write(text)
T2 = NOW + 100
build(bank, os.path.join(WORK, "dist2"), T2)
lock = open(os.path.join(bank, "qbank.lock"), encoding="utf-8").read()
changed = [l.split()[0] for l in lock.splitlines() if l and not l.startswith(("#", "version", "release:", "removed:")) and l.split()[3] == str(T2)]
check("the lock advanced exactly the edited question", changed == [target], changed)
log = import_apkg(col, os.path.join(WORK, "dist2", "anki", "python-django-interview.apkg"))
check("update: exactly one note updated", len(log.updated) == 1, len(log.updated))
check("update: no new notes", len(log.new) == 0, len(log.new))
check("update: no duplicates created", col.note_count() == total_answered, col.note_count())
updated_note = col.get_note(col.find_notes(f'"Id:{target}"')[0])
check("update: the new text arrived", "An improved first paragraph." in updated_note["Answer"])
tcard = col.get_card(tcard.id)
check("update: the reviewed card keeps its history",
      col.db.scalar("select count() from revlog where cid = ?", tcard.id) == 1 and tcard.reps == 1)
onote = col.get_note(onote.id)
check("update: the learner's own edit survives", "My own mnemonic." in onote["Summary"])

# 5. Per-section packages.
sec = sections[1]["id"]
scol = new_collection("sections")
log = import_apkg(scol, os.path.join(WORK, "dist2", "anki", "sections", f"{sec}.apkg"))
check("a section package imports on its own", len(log.new) == len(answered[sec]) and scol.note_count() == len(answered[sec]))
log = import_apkg(col, os.path.join(WORK, "dist2", "anki", "sections", f"{sec}.apkg"))
check("a section package on top of the combined one adds nothing", len(log.new) == 0 and len(log.updated) == 0)

# 6. Unanswered questions on request (add one, so there is one).
new_id = subprocess.run([QBANK, "-q", "add", "--bank", bank, "--section", sections[0]["id"],
                         "A question nobody has answered yet?"],
                        check=True, capture_output=True, text=True).stdout.strip()
total = sum(len(s["questions"]) for s in sections) + 1
build(bank, os.path.join(WORK, "dist3"), T2 + 100)
log = import_apkg(col, os.path.join(WORK, "dist3", "anki", "python-django-interview.apkg"))
check("an unanswered question stays out by default", len(log.new) == 0, len(log.new))
build(bank, os.path.join(WORK, "dist3"), T2 + 100, "--include-unanswered")
ucol = new_collection("unanswered")
log = import_apkg(ucol, os.path.join(WORK, "dist3", "anki", "python-django-interview.apkg"))
check("--include-unanswered imports every question", ucol.note_count() == total, ucol.note_count())
c = ucol.get_card(ucol.find_cards(f'"Id:{new_id}"')[0])
check("an unanswered card says so", "Not answered yet" in c.answer())

for c in (col, scol, ucol):
    c.close()
finish()
