"""Putting a secret (the recovery key) on the clipboard as password managers do (issue 21).

The text goes with the hints clipboard managers and histories honour: ``x-kde-passwordManagerHint:
secret`` (Klipper, wl-clip-persist, GNOME extensions), macOS's concealed type
(``org.nspasteboard.ConcealedType``) and Windows' exclusion formats (no monitor, no clipboard
history, no cloud clipboard). After :data:`CLEAR_AFTER_MS` it is cleared, if the clipboard still
holds what CareerDesk put there, and also when CareerDesk quits, as KeePassXC does.
"""

from __future__ import annotations

import hashlib
import sys
from typing import Any

from PySide6.QtCore import QCoreApplication, QMimeData, QObject, QTimer
from PySide6.QtGui import QClipboard, QGuiApplication

#: How long a secret stays on the clipboard.
CLEAR_AFTER_MS = 30_000

KDE_SECRET_HINT = "x-kde-passwordManagerHint"  # noqa: S105 - a MIME type name, not a secret
MAC_CONCEALED_MIME = "application/x-nspasteboard-concealed-type"
MAC_CONCEALED_UTI = "org.nspasteboard.ConcealedType"
_WINDOWS_DWORD_ZERO = b"\0\0\0\0"
#: Qt's spelling of a named Windows clipboard format.
_WINDOWS_FORMAT = 'application/x-qt-windows-mime;value="{}"'
WINDOWS_FORMATS = {
    "ExcludeClipboardContentFromMonitorProcessing": b"\1",
    "CanIncludeInClipboardHistory": _WINDOWS_DWORD_ZERO,
    "CanUploadToCloudClipboard": _WINDOWS_DWORD_ZERO,
}


def secret_mime_data(text: str) -> QMimeData:
    """``text`` as plain text with every platform's "this is a secret" marks."""
    data = QMimeData()
    data.setText(text)
    # All marks on every platform: each is a private format the others ignore, and a test on
    # one platform sees them all.
    data.setData(KDE_SECRET_HINT, b"secret")
    data.setData(MAC_CONCEALED_MIME, text.encode("utf-8"))
    for name, value in WINDOWS_FORMATS.items():
        data.setData(_WINDOWS_FORMAT.format(name), value)
    return data


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


class SecretClipboard(QObject):
    """Copies secrets and clears them again; one per application (:func:`secret_clipboard`).

    Only a digest of the secret is kept, to tell whether the clipboard still holds it.
    """

    def __init__(self, parent: QObject | None = None, *,
                 clear_after_ms: int = CLEAR_AFTER_MS) -> None:
        super().__init__(parent)
        self.clear_after_ms = clear_after_ms
        self._digest: bytes | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.clear)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.clear)

    def copy(self, text: str) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard is None:
            return
        _install_mac_converter()
        clipboard.setMimeData(secret_mime_data(text), QClipboard.Mode.Clipboard)
        self._digest = _digest(text)
        self._timer.start(self.clear_after_ms)

    def holds_secret(self) -> bool:
        """Whether the clipboard still holds the secret CareerDesk put there."""
        clipboard = QGuiApplication.clipboard()
        if clipboard is None or self._digest is None:
            return False
        return _digest(clipboard.text(QClipboard.Mode.Clipboard)) == self._digest

    def clear(self) -> None:
        """Clear the clipboard if it still holds our secret; anything copied since is kept."""
        self._timer.stop()
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None and self.holds_secret():
            clipboard.clear(QClipboard.Mode.Clipboard)
        self._digest = None


_instance: SecretClipboard | None = None


def secret_clipboard() -> SecretClipboard:
    """The application's secret clipboard: it outlives the dialog that copied, so the secret is
    cleared after the dialog has closed."""
    global _instance  # one per process, like the clipboard itself
    if _instance is None:
        _instance = SecretClipboard(QCoreApplication.instance())
    return _instance


_mac_converter: Any = None


def _install_mac_converter() -> None:
    """On macOS, Qt maps unknown MIME types to its own UTIs; this maps the concealed MIME type
    to ``org.nspasteboard.ConcealedType``, which Maccy, Alfred and Paste honour (KeePassXC's
    approach). Not available (nor needed) elsewhere."""
    global _mac_converter  # created once; Qt keeps a pointer to it
    if sys.platform != "darwin" or _mac_converter is not None:
        return
    from PySide6 import QtGui

    base: Any = getattr(QtGui, "QUtiMimeConverter", None)
    if base is None:  # pragma: no cover - a Qt without it
        return

    class ConcealedConverter(base):  # type: ignore[misc]
        def mimeForUti(self, uti: str) -> str:  # Qt override
            return MAC_CONCEALED_MIME if uti == MAC_CONCEALED_UTI else ""

        def utiForMime(self, mime: str) -> str:  # Qt override
            return MAC_CONCEALED_UTI if mime == MAC_CONCEALED_MIME else ""

        def convertToMime(self, mime: str, data: list[bytes], uti: str) -> Any:  # Qt override
            return b"".join(data) if mime == MAC_CONCEALED_MIME else None

        def convertFromMime(self, mime: str, data: Any, uti: str) -> list[bytes]:  # Qt override
            return [bytes(data)] if mime == MAC_CONCEALED_MIME else []

    _mac_converter = ConcealedConverter()
