"""Everything that touches the journal file: rows, engine, lock, migrations, backups, search.

ORM classes end in ``Row`` and never leave this package and ``services``.
"""
