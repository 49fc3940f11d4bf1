"""Finding listed words and phrases in a text: whole words, case-insensitive, ``*`` endings.

Used for the gentle hint when a note sounds like a performance conversation (guardrails.toml)
and for placing a plan step in the learning mix (plan.toml). Pure and fast enough to run on
every keystroke (one compiled pattern per phrase list, cached).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class FlaggedTerm:
    """One place in a text where a flagged phrase occurs."""

    start: int
    end: int
    text: str  # as written in the note
    phrase: str  # the phrase from the list that matched (e.g. "underperform*")


def _phrase_pattern(phrase: str) -> str:
    """A phrase as a regular expression: spaces match any run of spaces, a final ``*`` any
    word ending ("underperform*" finds "underperforming" and "underperformance")."""
    wildcard = phrase.endswith("*")
    core = phrase[:-1] if wildcard else phrase
    parts = [re.escape(part) for part in core.split()]
    pattern = r"\s+".join(parts)
    if wildcard:
        pattern += r"\w*"
    return pattern


def _ordered(phrases: tuple[str, ...]) -> list[str]:
    # Longest first, so "performance improvement plan" wins over "performance".
    cleaned = {p.strip() for p in phrases if p.strip() and p.strip() != "*"}
    return sorted(cleaned, key=lambda p: (-len(p), p.casefold()))


@lru_cache(maxsize=32)
def _compile(phrases: tuple[str, ...], word_boundaries: bool) -> re.Pattern[str] | None:
    ordered = _ordered(phrases)
    if not ordered:
        return None
    groups = [f"(?P<p{index}>{_phrase_pattern(p)})" for index, p in enumerate(ordered)]
    body = "|".join(groups)
    if word_boundaries:
        # One look-behind outside the alternation: a position inside a word fails at once.
        body = rf"(?<!\w)(?:{body})(?!\w)"
    return re.compile(body, re.IGNORECASE)


def find_flagged_terms(
    text: str, phrases: Sequence[str], *, word_boundaries: bool = True
) -> list[FlaggedTerm]:
    """Every non-overlapping occurrence of a flagged phrase in ``text``, in order.

    Case-insensitive. With ``word_boundaries`` (the default) a phrase matches only as whole
    words: "rating" finds "Rating" and "rating," but not "celebrating" or "ratings" (list the
    plural, or write "rating*"). Languages written without spaces set ``word_boundaries = false``
    in their guardrails file.
    """
    pattern = _compile(tuple(phrases), word_boundaries)
    if pattern is None or not text:
        return []
    ordered = _ordered(tuple(phrases))
    found: list[FlaggedTerm] = []
    for match in pattern.finditer(text):
        group = match.lastgroup or ""
        phrase = ordered[int(group[1:])] if group.startswith("p") else ""
        found.append(FlaggedTerm(match.start(), match.end(), match.group(0), phrase))
    return found
