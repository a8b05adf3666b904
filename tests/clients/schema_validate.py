"""Validates YAML files against qbank's JSON Schemas with the reference `jsonschema` package,
as an editor's YAML language server would. Usage: schema_validate.py SCHEMA FILE...
Prints one line per file; exits 1 if any file is invalid."""

import json
import sys

import jsonschema
import yaml

schema = json.load(open(sys.argv[1], encoding="utf-8"))
validator = jsonschema.Draft202012Validator(schema)
bad = 0
for path in sys.argv[2:]:
    errors = list(validator.iter_errors(yaml.safe_load(open(path, encoding="utf-8"))))
    for e in errors:
        print(f"INVALID {path}: {e.message} at /{'/'.join(map(str, e.absolute_path))}")
    if errors:
        bad += 1
    else:
        print(f"valid {path}")
sys.exit(1 if bad else 0)
