"""The pulse over time: averages per conversation and the detection of a falling trend.

A pulse is a private reading of early signs, never a rating of the person; the trend only says
"these signs are weakening, worth a conversation". Pure functions, tested with fixed values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

#: How many of the latest readings the trend looks at.
TREND_WINDOW = 4
#: A fall of at least this much (on the 1-5 scale) from the best recent reading to the latest.
MIN_DROP = 1.0
#: And a least-squares slope at least this steep (points per conversation, negative).
MAX_SLOPE = -0.3

History = Sequence[tuple[dt.date, Mapping[str, int]]]


@dataclass(frozen=True)
class PulsePoint:
    """One conversation's pulse: its date, the mean of its readings and the readings."""

    date: dt.date
    mean: float
    values: Mapping[str, int]


@dataclass(frozen=True)
class PulseTrend:
    """Whether the recent pulse is falling, overall and per dimension."""

    points: tuple[PulsePoint, ...]
    falling: bool
    slope: float  # of the mean over the recent window, per conversation
    falling_dimensions: tuple[str, ...]

    @property
    def latest(self) -> PulsePoint | None:
        return self.points[-1] if self.points else None


def points(history: History) -> list[PulsePoint]:
    """Oldest first; conversations without any reading are left out."""
    result = []
    for date, values in sorted(history, key=lambda item: item[0]):
        if values:
            mean = sum(values.values()) / len(values)
            result.append(PulsePoint(date=date, mean=mean, values=dict(values)))
    return result


def slope(values: Sequence[float]) -> float:
    """Least-squares slope of ``values`` against their index (0.0 for fewer than two)."""
    n = len(values)
    if n < 2:
        return 0.0
    mean_x = (n - 1) / 2
    mean_y = sum(values) / n
    numerator = sum((x - mean_x) * (y - mean_y) for x, y in enumerate(values))
    denominator = sum((x - mean_x) ** 2 for x in range(n))
    return numerator / denominator


def is_falling(values: Sequence[float], *, window: int = TREND_WINDOW) -> bool:
    """The recent readings fall: the latest is at least ``MIN_DROP`` below the best of the
    window before it, the window's slope is at most ``MAX_SLOPE``, and the latest reading is not
    a recovery (no higher than the one before)."""
    recent = list(values[-window:])
    if len(recent) < 2:
        return False
    drop = max(recent[:-1]) - recent[-1]
    return drop >= MIN_DROP and slope(recent) <= MAX_SLOPE and recent[-1] <= recent[-2]


def trend(history: History, *, window: int = TREND_WINDOW) -> PulseTrend:
    """The trend of a person's pulse history (as ``ConversationService.pulse_history`` gives)."""
    series = points(history)
    means = [p.mean for p in series]
    dimensions = sorted({d for p in series for d in p.values})
    falling_dimensions = []
    for dimension in dimensions:
        readings = [float(p.values[dimension]) for p in series if dimension in p.values]
        if is_falling(readings, window=window):
            falling_dimensions.append(dimension)
    return PulseTrend(
        points=tuple(series),
        falling=is_falling(means, window=window),
        slope=slope(means[-window:]),
        falling_dimensions=tuple(falling_dimensions),
    )
