"""Pulse trend detection with fixed readings."""

from __future__ import annotations

import datetime as dt

import pytest

from careerdesk.domain.pulse import is_falling, points, slope, trend


def _history(*means: dict[str, int]) -> list[tuple[dt.date, dict[str, int]]]:
    return [(dt.date(2025, 1, 1) + dt.timedelta(days=90 * i), m) for i, m in enumerate(means)]


def test_slope() -> None:
    assert slope([]) == 0.0
    assert slope([3.0]) == 0.0
    assert slope([1.0, 2.0, 3.0]) == pytest.approx(1.0)
    assert slope([4.0, 4.0, 2.0]) == pytest.approx(-1.0)


@pytest.mark.parametrize(
    ("values", "falling"),
    [
        ([4, 3], True),  # one clear step down
        ([4, 3.5], False),  # too small a drop
        ([4, 4, 4, 3], True),
        ([3, 4, 4, 3], False),  # back where it was: slope flat
        ([5, 4, 3, 4], False),  # recovering at the latest reading
        ([2, 3, 4, 5], False),
        ([5, 5, 5, 5, 2, 2, 2, 2], False),  # fell long ago, stable in the window since
        ([5, 5, 5, 5, 4, 4, 3, 2], True),
        ([4], False),
        ([], False),
    ],
)
def test_is_falling(values: list[float], falling: bool) -> None:
    assert is_falling(values) is falling


def test_trend_over_history_and_dimensions() -> None:
    history = _history(
        {"support": 4, "direction": 4},
        {"support": 4, "direction": 4},
        {"support": 2, "direction": 4},
    )
    result = trend(history)
    assert [p.mean for p in result.points] == [4.0, 4.0, 3.0]
    assert result.falling  # mean 4 -> 3
    assert result.falling_dimensions == ("support",)
    assert result.latest is not None
    assert result.latest.date == dt.date(2025, 6, 30)


def test_a_single_dimension_can_fall_while_the_mean_holds() -> None:
    history = _history({"a": 5, "b": 2}, {"a": 5, "b": 3}, {"a": 3, "b": 5})
    result = trend(history)
    assert not result.falling
    assert result.falling_dimensions == ("a",)


def test_points_skip_empty_and_sort() -> None:
    history = [(dt.date(2026, 1, 2), {"a": 3}), (dt.date(2025, 1, 1), {}),
               (dt.date(2025, 6, 1), {"a": 5})]
    assert [p.date for p in points(history)] == [dt.date(2025, 6, 1), dt.date(2026, 1, 2)]
