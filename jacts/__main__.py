"""``python -m jacts``: the same as the ``jacts`` command."""

from jacts.cli import main

raise SystemExit(main())
