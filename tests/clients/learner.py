"""What the Anki client scripts share: a learner's fresh collection, and importing a package into
it as the learner's Anki does (File → Import, without the package's scheduling)."""

import os

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest


def new_collection(work, name):
    """An empty collection in its own folder `work/name`."""
    path = os.path.join(work, name, "collection.anki2")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    return Collection(path)


def import_apkg(col, path):
    """Imports an `.apkg`; returns Anki's import log (new, updated, duplicate… notes)."""
    req = ImportAnkiPackageRequest(package_path=os.path.abspath(path),
                                   options=ImportAnkiPackageOptions(with_scheduling=False))
    return col.import_anki_package(req).log
