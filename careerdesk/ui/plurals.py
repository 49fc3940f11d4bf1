"""English plural forms for Qt's ``tr(text, "", n)``.

Source strings with a count are written in the plural with ``%n`` ("%n entries"); Qt replaces
``%n`` but picks a singular form only from a translation. This translator is that translation
for English: the singular of each counted string, used when ``n`` is 1. A translation into
another language brings its own numerus forms and is installed after (so it wins).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, QTranslator

#: plural source text -> its singular (n == 1)
SINGULAR: dict[str, str] = {
    "%n entries": "%n entry",
    "%n matches": "%n match",
    "%n open next steps": "%n open next step",
    "%n overdue": "%n overdue",
    "Pulse over %n conversations, latest %1 of 5": "Pulse over %n conversation, latest %1 of 5",
    "%n private answers": "%n private answer",
    "%n private notes and reflections": "%n private note or reflection",
    "%n private match items": "%n private match item",
    "%n private next steps": "%n private next step",
    "%n dropped next steps": "%n dropped next step",
}


class EnglishPlurals(QTranslator):
    """Answers only counted strings with n == 1; everything else stays the source text."""

    def translate(self, context: str, source_text: str,  # Qt override
                  disambiguation: str | None = None, n: int = -1) -> str | None:
        if abs(n) == 1:
            return SINGULAR.get(source_text)
        return None

    def isEmpty(self) -> bool:  # Qt override
        return False


def install(app: QCoreApplication | None = None) -> None:
    """Install the English plural forms once for the application."""
    app = app or QCoreApplication.instance()
    if app is None or app.property("careerdesk_plurals"):
        return
    translator = EnglishPlurals(app)
    QCoreApplication.installTranslator(translator)
    app.setProperty("careerdesk_plurals", True)


def counted(context: QObject | str, source_text: str, n: int) -> str:
    """``tr(source_text, "", n)`` for a text that is data (the export's left-out labels)."""
    name = context if isinstance(context, str) else type(context).__name__
    return QCoreApplication.translate(name, source_text, "", n)
