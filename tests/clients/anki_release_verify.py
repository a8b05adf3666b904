"""Plays a release timeline with the official Anki library: what a learner gets from v1 to v2.

Usage: python anki_release_verify.py QBANK_BINARY CONTENT_DIR WORK_DIR

On a copy of the bank (without its lock: v1 is the bank's first release):
  1. v1 is built and imported; the learner's notes carry the flat tags qbank wrote before
     tags were hierarchical (section id, `level-mid`…), as a package from then would have
     brought, and the lock forgets the tag scheme, as a lock from then would;
  2. the learner reviews three cards: the one v2 removes, the one v2 changes, another;
  3. v2 removes one question (with a `removed:` reason), changes one, adds one, brings a
     changelog entry and the hierarchical tags;
  4. importing v2: exactly one note is retired (same note, new text, tagged qbank::removed),
     exactly one other note's text changes, one note is new, every note has the new tags and
     none the old ones, no duplicates, every review history kept; the deck descriptions say
     what is new in v2; importing v2 again changes nothing;
  5. a second profile importing v2 fresh gets no card for the removed question (its note is
     there, found by tag:qbank::removed), and its section's package on its own the same.
Prints one line per check and a closing 'N passed, N failed' line; exits non-zero on failure.
"""

import html
import json
import os
import re
import shutil
import subprocess
import sys
import time


QBANK, CONTENT, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
import learner
from learner import import_apkg
from tally import check, finish


def build(out, epoch):
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(epoch))
    subprocess.run([QBANK, "-q", "build", "--bank", bank, "--out", out, "--format", "anki,json"],
                   check=True, env=env)
    with open(os.path.join(out, "json", "python-django-interview.json")) as f:
        return json.load(f)


def new_collection(name):
    return learner.new_collection(WORK, name)


def note_of(col, qid):
    nids = col.find_notes(f'"Id:{qid}"')
    return col.get_note(nids[0]) if len(nids) == 1 else None


def replace_once(path, old, new):
    text = open(path, encoding="utf-8").read()
    assert text.count(old) >= 1, (path, old)
    open(path, "w", encoding="utf-8").write(text.replace(old, new, 1))


bank = os.path.join(WORK, "bank")
shutil.copytree(CONTENT, bank, ignore=shutil.ignore_patterns(".qbank", "qbank.lock"))
text = open(os.path.join(bank, "bank.yaml"), encoding="utf-8").read()
open(os.path.join(bank, "bank.yaml"), "w", encoding="utf-8").write(
    re.sub(r"(?m)^version: .*$", "version: 1.0.0", text))
NOW = int(time.time())
T1, T2 = NOW - 10 * 86400, NOW + 100

# 1. v1, imported by a learner whose notes have the flat tags of the qbank of the time.
model = build(os.path.join(WORK, "v1"), T1)
title = model["meta"]["title"]
sections = [s for p in model["parts"] for s in p["sections"]]
linked = {x for s in sections for q in s["questions"]
          for f in ("question", "summary", "answer") if q[f] for x in q[f]["xrefs"]}
section = next(s for s in sections
               if sum(1 for q in s["questions"] if q["answer"] and q["id"] not in linked) >= 3)
free = [q for q in section["questions"] if q["answer"] and q["id"] not in linked]
removed, changed, kept = free[0], free[1], free[2]
answered_v1 = sum(1 for s in sections for q in s["questions"] if q["answer"])
lock_path = os.path.join(bank, "qbank.lock")
lock = open(lock_path, encoding="utf-8").read()
check("v1's lock records release 1.0.0", re.search(r'^release: \d+ "1\.0\.0"$', lock, re.M), lock[:400])
open(lock_path, "w", encoding="utf-8").write(
    "".join(l for l in lock.splitlines(True) if not l.startswith("@anki-tags ")))

col = new_collection("learner")
log = import_apkg(col, os.path.join(WORK, "v1", "anki", "python-django-interview.apkg"))
check("v1: every answered question is a new note", len(log.new) == answered_v1, len(log.new))
check("v1: tags are hierarchical", f"qbank::section::{section['id']}" in note_of(col, kept["id"]).tags,
      note_of(col, kept["id"]).tags)
for nid in col.find_notes(""):
    note = col.get_note(nid)
    flat = [t.split("::")[-1] if t.startswith("qbank::section::") or t.startswith("qbank::tag::")
            else "level-" + t.split("::")[-1] for t in note.tags]
    col.db.execute("update notes set tags = ? where id = ?", " " + " ".join(flat) + " ", nid)
check("the learner's notes have the old flat tags", section["id"] in note_of(col, kept["id"]).tags)
before = {nid: col.get_note(nid).fields for nid in col.find_notes("")}

# 2. Study three cards.
history = {}
for q in (removed, changed, kept):
    card = col.get_card(col.find_cards(f'"Id:{q["id"]}"')[0])
    card.start_timer()
    col.sched.answerCard(card, 3)
    history[q["id"]] = card.id
check("three cards reviewed", col.db.scalar("select count() from revlog") == 3)

# 3. v2: one removed (with a reason), one changed, one added, a changelog.
path = os.path.join(bank, "sections", section["id"] + ".yaml")
text = open(path, encoding="utf-8").read()
start = text.index(f"  - id: {removed['id']}\n")
end = text.find("\n  - id: ", start + 1)
text = text[:start] + (text[end + 1:] if end != -1 else "")
marker = f"  - id: {changed['id']}\n"
ans = text.index("    answer: |\n", text.index(marker)) + len("    answer: |\n")
text = text[:ans] + "      A corrected first paragraph.\n\n" + text[ans:]
text = text.rstrip("\n") + "\n" + (
    "  - id: a-question-new-in-v2\n"
    "    question: What did version 2 add?\n"
    "    summary: This question.\n"
    "    answer: |\n"
    "      This question, and nothing else.\n")
open(path, "w", encoding="utf-8").write(text)
replace_once(os.path.join(bank, "bank.yaml"), "\nversion: 1.0.0", "\nversion: 2.0.0")
bank_yaml = os.path.join(bank, "bank.yaml")
entry = "  2.0.0: Tags are now hierarchical, under `qbank::`.\n"
yaml_text = open(bank_yaml, encoding="utf-8").read()
if "\nchangelog:\n" in yaml_text:  # the bank keeps a changelog already: add to it
    yaml_text = yaml_text.replace("\nchangelog:\n", "\nchangelog:\n" + entry, 1)
else:
    yaml_text += "changelog:\n" + entry
yaml_text += f"removed:\n  {removed['id']}: It asked <b>the same</b> as another question.\n"
open(bank_yaml, "w", encoding="utf-8").write(yaml_text)
model2 = build(os.path.join(WORK, "v2"), T2)
lock = open(lock_path, encoding="utf-8").read()
check("v2's lock keeps the removed question",
      re.search(rf'^removed: {removed["id"]} \S+ \d+ {T2} {section["id"]} "2\.0\.0" ".+"$', lock, re.M))
changes = subprocess.run([QBANK, "changes", "--bank", bank], capture_output=True, text=True)
check("qbank changes lists v2's changes", changes.returncode == 0 and "2.0.0" in changes.stdout
      and "What did version 2 add?" in changes.stdout and "hierarchical" in changes.stdout,
      changes.stdout + changes.stderr)

# 4. The learner imports v2.
apkg2 = os.path.join(WORK, "v2", "anki", "python-django-interview.apkg")
log = import_apkg(col, apkg2)
check("v2: exactly one new note", len(log.new) == 1, len(log.new))
check("v2: no duplicates", col.note_count() == answered_v1 + 1, col.note_count())
check("v2: every note updated (the tag scheme changed)", len(log.updated) == answered_v1, len(log.updated))
after = {nid: col.get_note(nid).fields for nid in before}
text_changed = sorted(col.get_note(nid)["Id"] for nid in before if after[nid] != before[nid])
check("v2: exactly two notes' text changed: the retired one and the changed one",
      text_changed == sorted([removed["id"], changed["id"]]), text_changed)
retired = col.find_notes("tag:qbank::removed")
check("v2: exactly one note tagged qbank::removed", len(retired) == 1, len(retired))
rnote = col.get_note(retired[0]) if retired else None
check("the retired note is the learner's own note, updated in place",
      rnote is not None and rnote["Id"] == removed["id"] and rnote.id in before)
check("its front says it was removed, and in which version",
      rnote is not None and rnote["Question"].startswith("Removed in version 2.0.0: "), rnote and rnote["Question"])
check("its back gives the reason, escaped",
      rnote is not None and "It asked &lt;b&gt;the same&lt;/b&gt; as another question." in rnote["Summary"],
      rnote and rnote["Summary"])
check("the changed note has the new text", "A corrected first paragraph." in note_of(col, changed["id"])["Answer"])
tags = {t for nid in col.find_notes("") for t in col.get_note(nid).tags}
check("every tag is under qbank::", all(t.startswith("qbank::") for t in tags),
      sorted(t for t in tags if not t.startswith("qbank::"))[:5])
check("sections, levels and own tags fold into the tree",
      f"qbank::section::{section['id']}" in tags and any(t.startswith("qbank::level::") for t in tags)
      and any(t.startswith("qbank::tag::") for t in tags))
for qid, cid in history.items():
    card = col.get_card(cid)
    check(f"review history kept ({qid})",
          col.db.scalar("select count() from revlog where cid = ?", cid) == 1 and card.reps == 1)
desc = col.decks.by_name(f"{title}::{section['title']}")["desc"]
# The description is HTML (Anki renders it): compare its text.
text = html.unescape(desc)
check("the deck description shows v2's changes",
      "What's new in 2.0.0" in text and "Added: What did version 2 add?" in text
      and "Changed: " in text and "Removed: " in text and "hierarchical" in text
      and "version 2.0.0" in text, desc)
check("the deck description holds no markup from content", "<b>the same" not in desc and "<code>" not in desc)
top = col.decks.by_name(title)
check("the bank's deck says what is new too", top is not None and "What's new in 2.0.0" in html.unescape(top["desc"]))
log = import_apkg(col, apkg2)
check("v2 again: nothing new, nothing updated", len(log.new) == 0 and len(log.updated) == 0,
      (len(log.new), len(log.updated)))

# 5. A learner starting at v2.
fresh = new_collection("fresh")
log = import_apkg(fresh, apkg2)
check("fresh v2: no card for the removed question", len(fresh.find_cards(f'"Id:{removed["id"]}"')) == 0)
check("fresh v2: one card per live question", fresh.card_count() == answered_v1, fresh.card_count())
check("fresh v2: the retired note is there, found by its tag",
      len(fresh.find_notes("tag:qbank::removed")) == 1)
check("fresh v2: the removed question is nowhere to study",
      all(removed["id"] != fresh.get_card(c).note()["Id"] for c in fresh.find_cards("is:new")))
sec = new_collection("section")
log = import_apkg(sec, os.path.join(WORK, "v2", "anki", "sections", f"{section['id']}.apkg"))
check("its section's package brings the retired note, without a card",
      len(sec.find_notes("tag:qbank::removed")) == 1 and len(sec.find_cards(f'"Id:{removed["id"]}"')) == 0)

for c in (col, fresh, sec):
    c.close()
finish()
