"""Benchmark: full-text search and the timeline on the 200-person, 10-year demo journal.

    python bench/search.py [--file DEMO.careerdesk] [--repeat 7] [--append bench/RESULTS.md]

Without --file, the shared benchmark journal of bench/common.py is used (made once with
``careerdesk demo --people 200 --years 10``: about a minute and a half with the search index).
Each query runs through ``SearchService.search`` and, as the baseline, as the very same FTS5
statement through the stdlib ``sqlite3`` module; the ratio is the service's overhead (query
building, SQLAlchemy, hit objects). Then the timeline of the person with the most records is
opened, through the service and through the Qt view (offscreen).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QUERIES = [
    "kubernetes", "mentoring juniors", "stakeholder", "billing migration", "jose", "núñez",
    "ольга", "张伟", "design", "on-call", "energ", "ku", "pub spe", "sql perf", "rust",
    "interviews", "accessibility", "onboarding redesign", "the", "a", "growth", "support",
    "roadblock", "partner api", "incident command", "data model", "writing design docs",
    "release train", "negotiating", "\"unbalanced AND (", "NEAR(", "zzzzzz", "lefèvre",
    "lefevre", "ζωή", "customer research",
]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def make_demo(path: Path) -> None:
    print(f"making the demo journal at {path} …", flush=True)
    subprocess.run(
        [sys.executable, "-m", "careerdesk", "demo", "--people", "200", "--years", "10",
         "--file", str(path)],
        check=True, env={**os.environ, "CAREERDESK_HOME": str(path.parent / "home")},
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--append", type=Path, help="append the results to this Markdown file")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    scratch = tempfile.TemporaryDirectory()
    if args.file is None:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from common import large_journal  # the shared, cached benchmark journal

        path = large_journal()
    else:
        path = args.file
        if not path.exists():
            make_demo(path)

    from careerdesk.services import Services
    from careerdesk.services.search import match_query
    from careerdesk.storage import search_index
    from careerdesk.storage.journal import open_journal

    started = time.perf_counter()
    journal = open_journal(path, holder="bench")
    open_s = time.perf_counter() - started
    services = Services(journal)
    started = time.perf_counter()
    search_index.problems(journal.engine)
    check_s = time.perf_counter() - started

    raw = sqlite3.connect(path)
    service_times: list[float] = []
    raw_times: list[float] = []
    ratios: list[float] = []
    worst = ("", 0.0)
    hits_total = 0
    for query in QUERIES:
        fts = match_query(query)
        for _ in range(args.repeat):
            started = time.perf_counter()
            hits = services.search.search(query)
            elapsed = time.perf_counter() - started
            service_times.append(elapsed)
            if elapsed > worst[1]:
                worst = (query, elapsed)
            if fts is None:
                continue
            sql, params = services.search._statement(  # the same statement, no wrapper
                fts, person_id=None, kinds=None, tag=None, since=None, until=None,
                include_private=True, limit=50,
            )
            started = time.perf_counter()
            rows = raw.execute(sql, params).fetchall()
            raw_elapsed = time.perf_counter() - started
            raw_times.append(raw_elapsed)
            ratios.append(elapsed / raw_elapsed if raw_elapsed else 1.0)
            assert len(rows) == len(hits)
        hits_total += len(hits)

    filtered: list[float] = []
    person = max(services.people.list(), key=lambda p: len(services.plan.actions_for(p.id)))
    for query in ("design", "energ", "kubernetes"):
        for _ in range(args.repeat):
            started = time.perf_counter()
            services.search.search(query, person_id=person.id, since=dt.date(2020, 1, 1))
            filtered.append(time.perf_counter() - started)

    # The person with the most records: conversations + entries + actions.
    with journal.engine.connect() as connection:
        longest_id, records = connection.exec_driver_sql(
            "SELECT person_id, count(*) FROM search_docs WHERE person_id IS NOT NULL "
            "AND kind IN ('conversation', 'entry', 'action') GROUP BY person_id "
            "ORDER BY 2 DESC LIMIT 1"
        ).one()
    timeline_times = []
    items = 0
    for _ in range(args.repeat):
        started = time.perf_counter()
        items = len(services.reminders.timeline(longest_id))
        timeline_times.append(time.perf_counter() - started)

    from PySide6.QtWidgets import QApplication

    from careerdesk.ui.timeline_view import TimelineView

    app = QApplication.instance() or QApplication([])
    view = TimelineView(services)
    view.resize(900, 700)
    view.show()
    view_times = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        view.show_person(longest_id)
        app.processEvents()
        view.grab()  # paints the chart and the visible rows
        view_times.append(time.perf_counter() - started)
    dashboard_times = []
    for _ in range(3):
        started = time.perf_counter()
        services.reminders.dashboard()
        dashboard_times.append(time.perf_counter() - started)
    view.close()
    rebuild_started = time.perf_counter()
    services.search.rebuild_index()
    rebuild_s = time.perf_counter() - rebuild_started
    with journal.engine.connect() as connection:
        docs = connection.exec_driver_sql("SELECT count(*) FROM search_docs").scalar_one()
    journal.close()
    size_mb = path.stat().st_size / 1e6

    lines = [
        "",
        "## Search and timeline",
        "",
        f"Measured {dt.date.today().isoformat()} on {platform.machine()} "
        f"({os.cpu_count()} cores, shared), Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}; `python bench/search.py` (repeat {args.repeat}).",
        f"Journal: `careerdesk demo --people 200 --years 10`, {size_mb:.0f} MB, "
        f"{docs} indexed records.",
        "",
        "| what | median | worst |",
        "|---|---|---|",
        f"| search through SearchService ({len(QUERIES)} queries × {args.repeat}, limit 50) | "
        f"{ms(statistics.median(service_times))} | {ms(worst[1])} (`{worst[0]}`) |",
        f"| same FTS5 statement through sqlite3 | {ms(statistics.median(raw_times))} | "
        f"{ms(max(raw_times))} |",
        f"| ratio service / raw (per query) | {statistics.median(ratios):.2f}× | "
        f"{max(ratios):.2f}× |",
        f"| search filtered by person and date | {ms(statistics.median(filtered))} | "
        f"{ms(max(filtered))} |",
        f"| timeline of the longest person ({records} records, {items} items), service | "
        f"{ms(statistics.median(timeline_times))} | {ms(max(timeline_times))} |",
        f"| timeline view shown and painted (offscreen) | {ms(statistics.median(view_times))} | "
        f"{ms(max(view_times))} |",
        f"| dashboard for 200 people | {ms(statistics.median(dashboard_times))} | "
        f"{ms(max(dashboard_times))} |",
        f"| open the journal (includes the index check) | {ms(open_s)} | |",
        f"| index check alone (sqlite_master + probe) | {ms(check_s)} | |",
        f"| rebuild the whole index | {ms(rebuild_s)} | |",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    print(f"({hits_total} hits over the queries' last runs)")
    if args.append:
        with args.append.open("a", encoding="utf-8") as handle:
            handle.write(text)
    scratch.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
