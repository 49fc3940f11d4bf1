"""Shared helpers for the benchmarks: the large demo journal, timing, results."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
CACHE = BENCH_DIR / ".cache"


def large_journal(people: int = 200, years: int = 10) -> Path:
    """The benchmark journal (made once with ``careerdesk demo``, then reused)."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"demo-{people}p-{years}y.careerdesk"
    if not path.exists():
        subprocess.run(
            [sys.executable, "-m", "careerdesk", "demo", "--file", str(path), "--people",
             str(people), "--years", str(years), "--seed", "1"],
            check=True,
        )
    return path


def timed(fn: Callable[[], object], *, repeat: int = 7) -> tuple[float, float]:
    """(median, worst) wall time in seconds of ``fn`` over ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times)
