"""Start-up and switching on the 200-person, 10-year demo journal.

Three kinds of process, run in turns in the same session, each timed from the moment it was
spawned (``CAREERDESK_T0``):
- ``bare``: a bare PySide6 window (QApplication + QMainWindow shown); its first paint.
- ``floor``: shows a window, then imports the SQLAlchemy ORM and runs one query on the same
  file, and repaints; the least any ORM app could do before its data is on screen.
- ``careerdesk --smoke``: first paint and journal ready.
Goals: first paint within 1.3x of ``bare``; journal ready within 1.2x of ``floor``.

Then, in one process: switching between people, and between the stages of a conversation
(wall time of the switch including the repaint; goal under 50 ms).

Run: .venv/bin/python bench/startup.py [--runs N] [--update-results]
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BENCH_DIR, large_journal

ROOT = BENCH_DIR.parent

BARE = r"""
import os, sys, time
t0 = float(os.environ["CAREERDESK_T0"])
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
class Watch(QObject):
    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Type.Paint:
            print(f"first paint: {(time.time() - t0) * 1000:.1f} ms", flush=True)
            obj.removeEventFilter(self)
            QTimer.singleShot(0, app.quit)
        return False
app = QApplication([])
w = QMainWindow(); w.resize(900, 600)
watch = Watch(); w.installEventFilter(watch)
w.show(); app.exec()
"""

FLOOR = r"""
import os, sys, time
t0 = float(os.environ["CAREERDESK_T0"])
path = sys.argv[1]
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QListWidget, QMainWindow
class Watch(QObject):
    def __init__(self, then):
        super().__init__(); self.then = then
    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Type.Paint:
            obj.removeEventFilter(self)
            QTimer.singleShot(0, self.then)
        return False
app = QApplication([])
w = QMainWindow(); w.resize(900, 600)
names = QListWidget(); w.setCentralWidget(names)
def load():
    print(f"first paint: {(time.time() - t0) * 1000:.1f} ms", flush=True)
    import sqlalchemy.orm
    from sqlalchemy import create_engine, text
    engine = create_engine(f"sqlite:///{path}")
    with sqlalchemy.orm.Session(engine) as session:
        rows = session.execute(text("SELECT name FROM people ORDER BY name")).all()
    names.addItems([r[0] for r in rows])
    global ready
    ready = Watch(done)
    names.viewport().installEventFilter(ready)
    names.viewport().update()
def done():
    print(f"journal ready: {(time.time() - t0) * 1000:.1f} ms", flush=True)
    app.quit()
first = Watch(load); w.installEventFilter(first)
w.show(); app.exec()
"""

TIME = re.compile(r"^(first paint|journal ready): ([\d.]+) ms$", re.MULTILINE)


def run(kind: str, journal: Path, home: Path) -> dict[str, float]:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               CAREERDESK_HOME=str(home))
    # As on a user's machine: bytecode is cached. With PYTHONDONTWRITEBYTECODE set (CI shells
    # often set it) every CareerDesk module would be compiled from source on every start,
    # while SQLAlchemy and PySide6, compiled by pip, would not: an unfair comparison.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if kind == "bare":
        argv = [sys.executable, "-c", BARE]
    elif kind == "floor":
        argv = [sys.executable, "-c", FLOOR, str(journal)]
    else:
        argv = [sys.executable, "-m", "careerdesk", "--smoke", "--file", str(journal)]
    env["CAREERDESK_T0"] = repr(time.time())
    result = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120,
                            check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{kind} failed: {result.stderr[-2000:]}")
    if "imported on start-up" in result.stdout:
        raise RuntimeError(f"heavy imports on start-up: {result.stdout}")
    return {name: float(value) for name, value in TIME.findall(result.stdout)}


def startup(journal: Path, runs: int) -> dict[str, dict[str, float]]:
    home = BENCH_DIR / ".cache" / "home"
    samples: dict[str, dict[str, list[float]]] = {k: {} for k in ("bare", "floor", "careerdesk")}
    compileall.compile_dir(ROOT / "careerdesk", quiet=1)  # see run(): bytecode, as installed
    for kind in samples:  # one warm-up each (disk cache, .pyc)
        run(kind, journal, home)
    for _ in range(runs):
        for kind in samples:  # interleaved, so machine load hits all three alike
            for name, value in run(kind, journal, home).items():
                samples[kind].setdefault(name, []).append(value)
    return {kind: {name: statistics.median(values) for name, values in found.items()}
            for kind, found in samples.items()}


def switching(journal: Path, rounds: int = 3) -> dict[str, tuple[float, float]]:
    """Median and worst ms of switching person and stage, repaint included."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["CAREERDESK_HOME"] = str(BENCH_DIR / ".cache" / "home")
    from PySide6.QtWidgets import QApplication

    from careerdesk.domain.model import STAGE_ORDER
    from careerdesk.services import Services
    from careerdesk.storage.journal import open_journal
    from careerdesk.ui.application import make_application
    from careerdesk.ui.main_window import MainWindow

    app = make_application()
    window = MainWindow(journal_path=journal)
    window.resize(1280, 860)
    window.show()
    window.attach(Services(open_journal(journal)), ask_first_start=False)
    svc = window.services
    assert svc is not None
    summaries = [s for s in svc.people.summaries() if s.conversations]
    people = [s.person.id for s in summaries[:: max(len(summaries) // 20, 1)]][:20]

    def timed(action: object) -> float:
        start = time.perf_counter()
        action()  # type: ignore[operator]
        app.processEvents()  # layout and the paint, as the event loop does them
        return (time.perf_counter() - start) * 1000

    person_ms: list[float] = []
    stage_ms: list[float] = []
    conversation_ms: list[float] = []
    for _ in range(rounds):
        for person_id in people:
            person_ms.append(timed(lambda p=person_id: window.open_person(p)))
    for person_id in people[:8]:
        newest = svc.conversations.list_for(person_id)[0]
        conversation_ms.append(timed(lambda c=newest.id: window.open_conversation(c)))
        wizard = window.wizard
        assert wizard is not None
        for _ in range(rounds):
            for stage in STAGE_ORDER:
                stage_ms.append(timed(lambda s=stage, w=wizard: w.go_to(s)))
    window.close()
    window.deleteLater()
    QApplication.processEvents()

    def stats(values: list[float]) -> tuple[float, float]:
        ordered = sorted(values)
        return statistics.median(values), ordered[int(len(ordered) * 0.95) - 1]

    return {"person": stats(person_ms), "stage": stats(stage_ms),
            "conversation": stats(conversation_ms)}


def report(start: dict[str, dict[str, float]], switch: dict[str, tuple[float, float]],
           runs: int) -> str:
    bare = start["bare"]["first paint"]
    floor = start["floor"]["journal ready"]
    ours_paint = start["careerdesk"]["first paint"]
    ours_ready = start["careerdesk"]["journal ready"]
    lines = [
        "## Start-up and switching",
        "",
        f"`bench/startup.py` on the 200-person, 10-year demo journal; medians of {runs} runs per "
        "process kind, interleaved, offscreen, times from process spawn "
        f"({time.strftime('%Y-%m-%d')}).",
        "",
        "| process | first paint | journal ready |",
        "|---|---|---|",
        f"| bare PySide6 window | {bare:.0f} ms | |",
        f"| floor: window, then ORM import and one query | "
        f"{start['floor']['first paint']:.0f} ms | {floor:.0f} ms |",
        f"| `careerdesk --smoke` | {ours_paint:.0f} ms | {ours_ready:.0f} ms |",
        "",
        f"- first paint: {ours_paint / bare:.2f}x the bare window (goal at most 1.3x)",
        f"- journal ready: {ours_ready / floor:.2f}x the floor (goal at most 1.2x)",
        "",
        "| switch (repaint included) | median | 95th percentile |",
        "|---|---|---|",
    ]
    names = {"person": "between people (overview)", "stage": "between stages of a conversation",
             "conversation": "opening a conversation"}
    for key, (median, worst) in switch.items():
        lines.append(f"| {names[key]} | {median:.1f} ms | {worst:.1f} ms |")
    lines.append("")
    lines.append("Goal for switching people and stages: under 50 ms.")
    return "\n".join(lines) + "\n"


def update_results(section: str) -> None:
    results = BENCH_DIR / "RESULTS.md"
    text = results.read_text(encoding="utf-8") if results.exists() else "# Benchmark results\n"
    pattern = re.compile(r"## Start-up and switching\n.*?(?=\n## |\Z)", re.DOTALL)
    text = pattern.sub(section.rstrip("\n") + "\n", text) if pattern.search(text) else (
        text.rstrip("\n") + "\n\n" + section)
    results.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--update-results", action="store_true")
    args = parser.parse_args()
    journal = large_journal()
    start = startup(journal, args.runs)
    switch = switching(journal)
    section = report(start, switch, args.runs)
    print(section)
    if args.update_results:
        update_results(section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
