"""Foundation benchmarks: open the large journal and read one person's history, against raw
sqlite3 reading the same rows (a ratio); dump and load of the whole large journal (seconds).

Run: .venv/bin/python bench/foundation.py
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import large_journal, timed
from careerdesk.services import Services
from careerdesk.services.interchange import dump_journal, load_into, write_json
from careerdesk.storage.journal import open_journal


def busiest_person(path: Path) -> str:
    raw = sqlite3.connect(path)
    row = raw.execute(
        "SELECT person_id FROM conversations GROUP BY person_id ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    raw.close()
    return str(row[0])


def history_with_services(path: Path, person_id: str) -> int:
    # As the window opens it: the full quick_check runs later, in the background.
    with open_journal(path, verify=False) as journal:
        services = Services(journal)
        count = 0
        for record in services.conversations.records_for(person_id):
            count += len(record.answers) + len(record.notes) + len(record.match_items)
        count += len(services.plan.actions_for(person_id))
        count += len(services.entries.list(person_id))
        return count


def history_with_sqlite(path: Path, person_id: str) -> int:
    raw = sqlite3.connect(path)
    count = 0
    conversations = raw.execute(
        "SELECT id, * FROM conversations WHERE person_id = ? ORDER BY held_on DESC", (person_id,)
    ).fetchall()
    for conversation in conversations:
        cid = conversation[0]
        for table in ("answers", "notes", "match_items"):
            count += len(raw.execute(
                f"SELECT * FROM {table} WHERE conversation_id = ?", (cid,)).fetchall())
        raw.execute("SELECT * FROM behaviour_checks WHERE conversation_id = ?", (cid,)).fetchall()
        raw.execute("SELECT * FROM pulse_values WHERE conversation_id = ?", (cid,)).fetchall()
        raw.execute("SELECT * FROM actions WHERE conversation_id = ?", (cid,)).fetchall()
    count += len(raw.execute("SELECT * FROM actions WHERE person_id = ?", (person_id,)).fetchall())
    count += len(raw.execute(
        "SELECT * FROM journal_entries WHERE person_id = ?", (person_id,)).fetchall())
    raw.close()
    return count


def main() -> None:
    path = large_journal()
    person_id = busiest_person(path)
    ours, ours_worst = timed(lambda: history_with_services(path, person_id))
    floor, floor_worst = timed(lambda: history_with_sqlite(path, person_id))
    print(f"open + one person's history: {ours * 1000:.0f} ms (worst {ours_worst * 1000:.0f}); "
          f"raw sqlite3 {floor * 1000:.0f} ms (worst {floor_worst * 1000:.0f}); "
          f"ratio {ours / floor:.2f}")

    with open_journal(path) as journal:
        start = time.perf_counter()
        document = dump_journal(Services(journal))
        text = write_json(document)
        dump_s = time.perf_counter() - start
    from careerdesk.services.interchange import validate

    start = time.perf_counter()
    validate(document)
    validate_s = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        with open_journal(Path(tmp) / "copy.careerdesk") as copy:
            records = load_into(Services(copy), document)
        load_s = time.perf_counter() - start
    print(f"dump of the large journal: {dump_s:.1f} s ({len(text) / 1e6:.0f} MB of JSON); "
          f"load: {load_s:.1f} s ({records} records), of which schema validation "
          f"{validate_s:.1f} s")


if __name__ == "__main__":
    main()
