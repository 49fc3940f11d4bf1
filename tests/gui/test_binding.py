"""The Qt binding itself: faults in it take the whole app down, so they are checked here."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QObject, Signal
from pytestqt.qtbot import QtBot

pytestmark = pytest.mark.gui


class _Emitter(QObject):
    changed = Signal(int)


def test_emitting_signals_does_not_leak_references_to_true(qtbot: QtBot) -> None:
    """PySide6 6.12.0 on Python 3.11 dropped a reference to True on every emit; a few hundred
    emits later the process aborted. The app emits on every keystroke."""
    emitter = _Emitter()
    received: list[int] = []
    emitter.changed.connect(received.append)
    before = sys.getrefcount(True)
    for value in range(200):
        emitter.changed.emit(value)
    after = sys.getrefcount(True)  # outside the assert: pytest's rewriting holds a True of its own
    assert len(received) == 200
    assert after - before == 0
