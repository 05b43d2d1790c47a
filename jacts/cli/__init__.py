"""The ``jacts`` command line, also ``python -m jacts``: :func:`main` (``jacts --help`` says what
each command does).

Private modules: ``_main.py`` (the commands, and the text ``jacts --help`` prints),
``_arguments.py`` (argument types and checks), ``_study.py`` (``jacts study``) and ``_csv.py``
(the points ``jacts predict`` reads).
"""

from jacts.cli._main import main as main

main.__module__ = __name__  # Printed and documented as jacts.cli.main.

__all__ = ("main",)
