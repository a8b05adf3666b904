#!/usr/bin/env python
"""The small shop project the bank's ```python env=django``` examples run in.

`qbank check --run-examples` imports it itself (with its own fresh database per block);
this file is for working on the project by hand, e.g. `python manage.py makemigrations`.
"""
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
