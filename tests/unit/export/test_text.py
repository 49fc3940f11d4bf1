"""User text becomes markup that prints exactly the text and makes nothing else."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from careerdesk.export import fonts
from careerdesk.export.text import markup

from .samples import PAYLOADS

ALLOWED_TAG = re.compile(r'<br/>|<font name="CD-[A-Za-z-]+">|</font>')


def _plain(markup_text: str) -> str:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    fonts.ensure_registered()
    para = Paragraph(markup_text, ParagraphStyle("t", fontName=fonts.BODY))
    return "".join(f.text for f in para.frags if hasattr(f, "text"))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markup_payloads_stay_text(payload: str) -> None:
    out = markup(payload)
    assert ALLOWED_TAG.sub("", out).count("<") == 0
    assert _plain(out) == payload


def test_newlines_become_breaks() -> None:
    assert markup("one\ntwo\r\nthree") == "one<br/>two<br/>three"


def test_fallback_runs_are_wrapped_in_our_fonts_only() -> None:
    assert markup("a 你 <b>") == 'a <font name="CD-CJK">你 </font>&lt;b&gt;'


drawable = st.characters(
    codec="utf-8",
    categories=("L", "N", "P", "S", "Zs"),
    exclude_characters="\u00a0",
).filter(lambda ch: (fonts.font_for(ch) is not None and not ch.isspace()) or ch == " ")


@settings(max_examples=150, deadline=None)
@given(st.text(drawable, max_size=60))
def test_any_drawable_text_round_trips(text: str) -> None:
    """Whatever the user types, the paragraph holds exactly those characters (visual order)."""
    out = markup(text)
    assert ALLOWED_TAG.sub("", out).count("<") == 0
    # Paragraph collapses white space (as it should); every other character must survive.
    assert _plain(out).split() == fonts.visual_text(text).split()
