"""What an import changed, or on a dry run would change: the one report every kind of incoming
file gives (plan, progress, prep sheet, roster, template), for the CLI's lines and the window's
preview."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ImportReport:
    """What an import changed (or, on a dry run, would change)."""

    kind: str  # "plan", "progress", "prep sheet", "roster", "template"
    target: str  # who or what it went to
    changes: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()
    applied: bool = False
    notes: tuple[str, ...] = ()
    #: Says why nothing changed, instead of "Nothing new" (an older plan, an empty form).
    summary: str = ""

    @property
    def changed_anything(self) -> bool:
        return bool(self.changes)

    def lines(self) -> list[str]:
        """The report as a user reads it (preview or result)."""
        verb = "" if self.applied else "would be "
        out: list[str] = []
        if self.summary:
            out.append(self.summary)
        elif not self.changes:
            out.append(f"Nothing new: {self.target} is already up to date with this {self.kind}.")
        else:
            head = "Imported" if self.applied else "Would import"
            out.append(f"{head} {self.kind} into {self.target}:")
            out += [f"  {line}" for line in self.changes]
        for conflict in self.conflicts:
            out.append(f"  conflict (kept as it is here, {verb}not changed): {conflict}")
        out += [f"  {note}" for note in self.notes]
        return out
