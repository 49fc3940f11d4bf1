"""Fonts: every script the design names has a font; what has none is reported, never boxed."""

from __future__ import annotations

import pytest

from careerdesk.errors import ExportError
from careerdesk.export import fonts

from .samples import SCRIPTS

# Egyptian hieroglyphs: assigned characters no bundled font has.
NO_FONT = "\U00013000"


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_every_script_has_a_font(script: str) -> None:
    assert fonts.missing_characters([SCRIPTS[script]]) == []


def test_runs_pick_the_font_that_has_the_characters() -> None:
    runs = list(fonts.runs("Hello 你好 한국 ☺"))
    assert runs[0] == (fonts.BODY, "Hello ")
    assert (fonts.CJK, "你好 ") in runs
    assert (fonts.HANGUL, "한국 ") in runs
    assert "".join(text for _, text in runs) == "Hello 你好 한국 ☺"


def test_symbols_and_emoji_fall_back_to_symbola() -> None:
    assert fonts.font_for("\U0001f680") in (fonts.BODY, fonts.SYMBOLS)  # rocket
    assert fonts.font_for("\u2658") in (fonts.BODY, fonts.SYMBOLS)  # chess knight
    assert fonts.missing_characters(["\U0001f680 \U0001f9d0 \u2658"]) == []


def test_missing_character_is_reported_by_name_before_writing() -> None:
    with pytest.raises(ExportError) as caught:
        fonts.check_coverage(["fine text", f"bad {NO_FONT} here"])
    message = caught.value.user_message
    assert "U+13000" in message
    assert "EGYPTIAN HIEROGLYPH A001" in message


def test_glyphless_characters_are_dropped_not_reported() -> None:
    text = "a\u200bb\u200dc\ufe0fd\x07e\u202ef"
    assert fonts.clean(text) == "abcdef"
    assert fonts.missing_characters([text]) == []


def test_arabic_is_shaped_and_put_in_visual_order() -> None:
    shaped = fonts.visual_line("سلام")
    assert shaped != "سلام"
    # Presentation forms; the lam-alef ligature has its alef's invisible carrier before it.
    assert shaped == "\ufee1\u2064\ufefc\ufeb3"
    assert fonts.visual_line("abc") == "abc"
    assert fonts.visual_line("שלום") == "םולש"  # Hebrew: reordered, no shaping


def test_registration_is_done_once() -> None:
    assert fonts.ensure_registered() is fonts.ensure_registered()


def test_base_direction_is_the_first_strong_letter() -> None:
    assert fonts.base_direction("שלום world") == "R"
    assert fonts.base_direction("2026: مرحبا Python") == "R"
    assert fonts.base_direction("Meet محمد today") == "L"
    assert fonts.base_direction("123 ...") == "L"


def test_a_wrapped_part_keeps_its_lines_direction() -> None:
    # The second part of a Hebrew line starts with an English word: still read right to left.
    assert fonts.reorder("Python שלום", "R") == "םולש Python"
    assert fonts.reorder("Python שלום", "L") == "Python םולש"


def test_allah_in_a_name_is_shaped_with_letters_the_font_has() -> None:
    # arabic_reshaper's default makes U+FDF2, which DejaVu Sans lacks: the export refused.
    assert "\ufdf2" not in fonts.shape("عبد الله")
    assert fonts.missing_characters(["عبد الله"]) == []


def test_copied_text_is_what_was_typed() -> None:
    """Each drawn glyph copies out as the letters the user typed (issue 18)."""
    shaped = fonts.visual_line("صلاح")
    copied = "".join(fonts.copy_text(ord(ch)) for ch in shaped)
    # Drawn left to right; a reader reverses the right-to-left run.
    assert copied[::-1] == "صلاح"
    assert fonts.copy_text(ord("a")) == "a"
    assert fonts.copy_text(0xFDF2) == "الله"


def test_to_unicode_cmap_writes_utf16() -> None:
    cmap = fonts.to_unicode_cmap("AAAAAA+Font", [0x41, 0x1F680, 0xFEFB])
    assert "<00> <0041>" in cmap
    assert "<01> <D83DDE80>" in cmap  # the rocket as a surrogate pair, not five hex digits
    assert "<02> <0644>" in cmap  # lam; the alef is its carrier's
    assert "3 beginbfchar" in cmap
