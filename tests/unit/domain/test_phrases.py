"""Finding flagged words and phrases: whole words, any case, flexible spaces, ``*`` endings."""

from __future__ import annotations

from careerdesk.domain.phrases import find_flagged_terms

PHRASES = ["rating", "improvement plan", "performance improvement plan", "underperform*", "PIP"]


def texts(text: str, phrases: list[str] = PHRASES, **kwargs: bool) -> list[str]:
    return [f.text for f in find_flagged_terms(text, phrases, **kwargs)]


def test_whole_words_any_case() -> None:
    assert texts("Rating: low. Celebrating the ratings? rating,") == ["Rating", "rating"]


def test_longest_phrase_wins_and_spaces_are_flexible() -> None:
    found = find_flagged_terms("Put on a Performance\n improvement   plan.", PHRASES)
    assert [(f.text, f.phrase) for f in found] == [
        ("Performance\n improvement   plan", "performance improvement plan")
    ]
    assert found[0].start == 9


def test_star_matches_any_ending() -> None:
    assert texts("He underperformed; underperformance; Underperforming") == [
        "underperformed",
        "underperformance",
        "Underperforming",
    ]


def test_abbreviation_only_as_a_word() -> None:
    assert texts("PIP, pipeline, pip") == ["PIP", "pip"]


def test_non_latin_text_and_word_boundaries() -> None:
    assert texts("Это была Аттестация.", ["аттестация"]) == ["Аттестация"]
    assert texts("業績評価について", ["業績評価"]) == []
    assert texts("業績評価について", ["業績評価"], word_boundaries=False) == ["業績評価"]


def test_nothing_to_find() -> None:
    assert texts("") == []
    assert texts("A good talk about growth.") == []
    assert texts("anything", []) == []
    assert texts("anything", [" ", "*"]) == []


def test_regex_characters_in_phrases_are_literal() -> None:
    assert texts("score (a+b) here, aab", ["(a+b)"]) == ["(a+b)"]
    assert texts("a c++ review", ["c++ review"], word_boundaries=False) == ["c++ review"]
