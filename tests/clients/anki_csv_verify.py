"""Imports `qbank export csv` with the official Anki library, on top of the `.apkg` notes.

Usage: python anki_csv_verify.py QBANK_BINARY CONTENT_DIR WORK_DIR

Scenario, on a copy of the bank:
  1. Anki reads the file's header as meant: tab separator, HTML, GUID, deck, tags and note
     type columns, "update current" on a match;
  2. the .apkg is imported, then the CSV of the same bank: nothing new, nothing updated
     (every note found by its GUID is identical), count unchanged;
  3. a card is reviewed; one answer is edited in the bank and the CSV exported again:
     importing it updates exactly that note (0 new, count unchanged), with the HTML the new
     .apkg carries, and the reviewed card keeps its history;
  4. what the README says CSV cannot do is true: a learner's own edit to a note is
     overwritten (no per-note times, so no "update if newer");
  5. into a profile without qbank's note type (the .apkg never imported) the CSV adds
     nothing: Anki reports the note type missing instead of filling another one.
Prints one line per check and a closing 'N passed, N failed' line; exits non-zero on failure.
"""

import csv
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import zipfile

from anki.collection import DupeResolution, ImportCsvRequest

QBANK, CONTENT, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
BANK_ID = "python-django-interview"
import learner
from learner import import_apkg
from tally import check, finish


def qbank(*args, epoch=1_700_000_000):
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(epoch))
    subprocess.run([QBANK, "-q", *args], check=True, env=env)


def new_collection(name):
    return learner.new_collection(WORK, name)


def import_csv(col, path):
    path = os.path.abspath(path)
    metadata = col.get_csv_metadata(path, None)
    return metadata, col.import_csv(ImportCsvRequest(path=path, metadata=metadata)).log


def apkg_fields(path):
    """GUID -> fields, as the .apkg holds them (read straight from its collection)."""
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(path) as z:
        z.extract("collection.anki2", tmp)
        db = sqlite3.connect(os.path.join(tmp, "collection.anki2"))
        rows = db.execute("select guid, flds from notes").fetchall()
        db.close()
    return {guid: flds.split("\x1f") for guid, flds in rows}


def by_id(col, qid):
    return col.get_note(col.find_notes(f'"Id:{qid}"')[0])


bank = os.path.join(WORK, "bank")
shutil.copytree(CONTENT, bank)
dist1 = os.path.join(WORK, "dist1")
qbank("build", "--bank", bank, "--out", dist1, "--format", "anki")
csv1 = os.path.join(WORK, "bank1.csv")
qbank("export", "csv", "--bank", bank, "-o", csv1)
apkg1 = os.path.join(dist1, "anki", f"{BANK_ID}.apkg")
expected = apkg_fields(apkg1)

# 0. The file itself, read with Python's csv module after the header lines (those starting
#    with '#' before the first record): the .apkg's notes, field for field.
with open(csv1, newline="", encoding="utf-8") as f:
    lines = f.readlines()
header = 0
while lines[header].startswith("#"):
    header += 1
records = list(csv.reader(lines[header:], delimiter="\t"))
with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(apkg1) as z:
    z.extract("collection.anki2", tmp)
    db = sqlite3.connect(os.path.join(tmp, "collection.anki2"))
    apkg_mids = {mid for (mid,) in db.execute("select distinct mid from notes")}
    apkg_tags = dict(db.execute("select guid, trim(tags) from notes"))
    db.close()
check("csv: one record per .apkg note, same GUIDs", sorted(r[0] for r in records) == sorted(expected))
check("csv: every field exactly as in the .apkg", all(r[1:7] == expected[r[0]] for r in records),
      next((r[0] for r in records if r[1:7] != expected[r[0]]), ""))
check("csv: tags as in the .apkg", all(r[8] == apkg_tags[r[0]] for r in records))
check("csv: the note type column holds the .apkg's note type id",
      {int(r[9]) for r in records} == apkg_mids, apkg_mids)

# 1-2. The .apkg, then the CSV of the same bank.
col = new_collection("learner")
log = import_apkg(col, apkg1)
total = col.note_count()
check("the .apkg imports every answered question", len(log.new) == total == len(expected) > 0, total)
metadata, log = import_csv(col, csv1)
check("header: tab separator and HTML", metadata.delimiter == metadata.TAB and metadata.is_html)
check("header: GUID, deck, tags and note type columns",
      (metadata.guid_column, metadata.deck_column, metadata.tags_column,
       metadata.notetype_column) == (1, 8, 9, 10),
      (metadata.guid_column, metadata.deck_column, metadata.tags_column, metadata.notetype_column))
check("header: a match updates the note", metadata.dupe_resolution == DupeResolution.UPDATE)
check("same bank: nothing new", len(log.new) == 0, len(log.new))
check("same bank: nothing updated (the CSV's notes equal the .apkg's)", len(log.updated) == 0,
      [n.fields[4] for n in log.updated][:5])
check("same bank: every note found by its GUID, unchanged", len(log.duplicate) == total,
      len(log.duplicate))
check("same bank: no conflicts, no missing note type or deck",
      not (log.conflicting or log.missing_notetype or log.missing_deck))
check("same bank: note count unchanged", col.note_count() == total, col.note_count())

# 3. Review a card; change one answer; export again.
ids = [col.get_note(n)["Id"] for n in col.find_notes("")]
target, other = sorted(ids)[0], sorted(ids)[1]
tcard = col.get_card(col.find_cards(f'"Id:{target}"')[0])
tcard.start_timer()
col.sched.answerCard(tcard, 3)
deck_before = tcard.did
section_file = None
for name in sorted(os.listdir(os.path.join(bank, "sections"))):
    text = open(os.path.join(bank, "sections", name), encoding="utf-8").read()
    if f"  - id: {target}\n" in text:
        section_file = os.path.join(bank, "sections", name)
        break
start = text.index(f"  - id: {target}\n")
ans = text.index("    answer: |\n", start) + len("    answer: |\n")
text = text[:ans] + "      An improved first paragraph, from the CSV.\n\n" + text[ans:]
open(section_file, "w", encoding="utf-8").write(text)
csv2 = os.path.join(WORK, "bank2.csv")
qbank("export", "csv", "--bank", bank, "-o", csv2)
dist2 = os.path.join(WORK, "dist2")
qbank("build", "--bank", bank, "--out", dist2, "--format", "anki", epoch=1_700_000_100)
_, log = import_csv(col, csv2)
check("one answer changed: exactly one note updated", len(log.updated) == 1,
      [n.fields for n in log.updated][:2])
check("one answer changed: nothing new", len(log.new) == 0, len(log.new))
check("one answer changed: the others found unchanged", len(log.duplicate) == total - 1,
      len(log.duplicate))
check("one answer changed: note count unchanged", col.note_count() == total, col.note_count())
note = by_id(col, target)
check("the new text arrived", "An improved first paragraph, from the CSV." in note["Answer"])
new_apkg = apkg_fields(os.path.join(dist2, "anki", f"{BANK_ID}.apkg"))
check("the updated note holds exactly what the new .apkg carries",
      note.fields == new_apkg[note.guid])
tcard = col.get_card(tcard.id)
check("the reviewed card keeps its history and deck",
      col.db.scalar("select count() from revlog where cid = ?", tcard.id) == 1
      and tcard.reps == 1 and tcard.did == deck_before)

# 4. A learner's own edit is overwritten by a CSV import (README: "What CSV cannot carry").
onote = by_id(col, other)
onote["Summary"] = onote["Summary"] + "<p>My own mnemonic.</p>"
col.update_note(onote)
_, log = import_csv(col, csv2)
check("a learner's edit is overwritten by the CSV (no 'update if newer')",
      len(log.updated) == 1 and "My own mnemonic." not in by_id(col, other)["Summary"],
      len(log.updated))

# 5. A profile without the note type.
empty = new_collection("empty")
_, log = import_csv(empty, csv1)
check("without the note type: nothing added, every note reported",
      empty.note_count() == 0 and len(log.missing_notetype) == total,
      (empty.note_count(), len(log.missing_notetype)))

for c in (col, empty):
    c.close()
finish()
