"""Screenshots of the real window on a demo journal: every stage, light and dark.

Writes docs/screenshots/<stage>-light.png and -dark.png, plus wizard-light.png (the headline
image) and people-light.png. Run through scripts/screenshots.sh (Xvfb when it is there, else the
offscreen platform).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs" / "screenshots"


def make_demo(folder: Path) -> Path:
    path = folder / "demo.careerdesk"
    subprocess.run([sys.executable, "-m", "careerdesk", "demo", "--file", str(path),
                    "--people", "8", "--years", "2", "--seed", "7"], check=True,
                   capture_output=True)
    return path


def dark_palette() -> object:
    from PySide6.QtGui import QColor, QPalette

    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#2b2b2e", QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1f1f22", QPalette.ColorRole.AlternateBase: "#2f2f33",
        QPalette.ColorRole.Text: "#e6e6e6", QPalette.ColorRole.Button: "#35353a",
        QPalette.ColorRole.ButtonText: "#e6e6e6", QPalette.ColorRole.Highlight: "#3d7ad6",
        QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.ToolTipBase: "#3a3a30",
        QPalette.ColorRole.ToolTipText: "#f0f0e0", QPalette.ColorRole.PlaceholderText: "#9a9aa0",
        QPalette.ColorRole.Link: "#7fb0ff", QPalette.ColorRole.Mid: "#444448",
        QPalette.ColorRole.Dark: "#18181a", QPalette.ColorRole.Light: "#4a4a50",
    }
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    return palette


def laptop(size: str, stages: list[str]) -> int:
    """The given stages in a window of ``size`` (WxH), light and dark: ``<stage>-WxH-<theme>``.

    Run under a real X server with a window manager (scripts/screenshots.sh --laptop) to see
    the window as a user gets it; the window is maximised on a screen of that size, or resized
    to it when the screen is larger.
    """
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from careerdesk.domain.model import StageId
    from careerdesk.services import Services
    from careerdesk.storage.journal import open_journal
    from careerdesk.ui.application import make_application
    from careerdesk.ui.main_window import MainWindow

    width, height = (int(n) for n in size.lower().split("x"))
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CAREERDESK_HOME"] = str(Path(tmp) / "home")
        path = make_demo(Path(tmp))
        app = make_application()
        app.setStyle("Fusion")
        light = app.style().standardPalette()
        for theme, palette in (("light", light), ("dark", dark_palette())):
            app.setPalette(palette)  # type: ignore[arg-type]
            settings = QSettings(str(Path(tmp) / f"{theme}.ini"), QSettings.Format.IniFormat)
            window = MainWindow(journal_path=path, settings=settings)
            screen = app.primaryScreen().availableGeometry()
            if screen.width() <= width and screen.height() <= height:
                window.showMaximized()
            else:
                window.resize(width, height)
                window.show()
            window.attach(Services(open_journal(path)), ask_first_start=False)
            svc = window.services
            assert svc is not None
            person = next(s.person for s in svc.people.summaries()
                          if not s.person.is_me and s.conversations > 1)
            window.open_person(person.id)
            window.open_conversation(svc.conversations.list_for(person.id)[0].id)
            wizard = window.wizard
            assert wizard is not None
            for stage in stages:
                wizard.go_to(StageId(stage))
                for _ in range(3):
                    QApplication.processEvents()
                window.grab().save(str(OUT / f"{stage}-{width}x{height}-{theme}.png"))
            window.close()
    print(f"screenshots written to {OUT}")
    return 0


def main() -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from careerdesk.domain.model import StageId
    from careerdesk.services import Services
    from careerdesk.storage.journal import open_journal
    from careerdesk.ui.application import make_application
    from careerdesk.ui.main_window import MainWindow

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CAREERDESK_HOME"] = str(Path(tmp) / "home")
        path = make_demo(Path(tmp))
        app = make_application()
        app.setStyle("Fusion")  # the same look on every machine the screenshots are made on
        light = app.style().standardPalette()
        for theme, palette in (("light", light), ("dark", dark_palette())):
            app.setPalette(palette)  # type: ignore[arg-type]
            settings = QSettings(str(Path(tmp) / f"{theme}.ini"), QSettings.Format.IniFormat)
            window = MainWindow(journal_path=path, settings=settings)
            window.resize(1280, 860)
            window.show()
            window.attach(Services(open_journal(path)), ask_first_start=False)
            svc = window.services
            assert svc is not None
            person = next(s.person for s in svc.people.summaries()
                          if not s.person.is_me and s.conversations > 1)
            window.open_person(person.id)
            QApplication.processEvents()
            window.grab().save(str(OUT / f"people-{theme}.png"))
            conversation = svc.conversations.list_for(person.id)[0]
            window.open_conversation(conversation.id)
            wizard = window.wizard
            assert wizard is not None
            for stage in StageId:
                wizard.go_to(stage)
                QApplication.processEvents()
                QApplication.processEvents()
                image = window.grab()
                image.save(str(OUT / f"{stage.value}-{theme}.png"))
                if stage is StageId.MATCH and theme == "light":
                    image.save(str(OUT / "wizard-light.png"))
            window.close()
    print(f"screenshots written to {OUT}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--laptop":
        # --laptop WxH [stage ...]: the busiest stages at a laptop's size
        raise SystemExit(laptop(sys.argv[2], sys.argv[3:] or ["match", "plan"]))
    raise SystemExit(main())
