"""The user's own question lists: custom prompts, wording edits, hidden and reordered prompts,
and named templates that can be exported to a file and imported back.

Three places hold a question list, from the most general to the most specific:

- the **default list** (no template): built-in prompts of the method pack, the user's own
  prompts that belong to no template or conversation, wording edits and a layout per pack
  (kept as settings ``prompts.wording`` and ``prompts.layout``, so they travel with dump/load);
- a **template** (``PromptTemplateRow``): a self-contained list with its own custom prompts,
  layout (stage -> ordered ``{prompt_id, hidden}``) and wording;
- a **conversation**: its own custom prompts, and per prompt an ``AnswerRow`` whose ``hidden``
  and ``position`` (1-based; 0 = never placed) override the list it started from.

:meth:`PromptService.effective_prompts` combines them. One transaction per call.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from careerdesk.content.loader import load_content
from careerdesk.content.model import CONTENT_STAGES, DEFAULT_PACK, Audience, Content
from careerdesk.content.templates import (
    TemplateCustomPrompt,
    TemplateFile,
    read_template_file,
    write_template_file,
)
from careerdesk.domain.model import CUSTOM_PREFIX, CustomPrompt, PromptTemplate, StageId, new_id
from careerdesk.errors import InvalidInputError, NotFoundError
from careerdesk.services.base import Service, require_text, to_domain
from careerdesk.services.settings import LANGUAGE
from careerdesk.storage.journal import Journal
from careerdesk.storage.rows import (
    AnswerRow,
    ConversationRow,
    CustomPromptRow,
    PromptTemplateRow,
    SettingRow,
)

#: Settings keys of the default list.
WORDING_KEY = "prompts.wording"  # {prompt_id: text}
LAYOUT_KEY = "prompts.layout"  # {pack_id: {stage: [{"prompt_id": ..., "hidden": bool}]}}


@dataclass(frozen=True)
class EffectivePrompt:
    """One prompt as a stage page shows it, after every customisation is applied."""

    prompt_id: str
    stage: StageId
    supervisor: str
    employee: str
    hint: str = ""
    hidden: bool = False
    position: int = 0  # 0-based place in the returned list
    is_custom: bool = False
    edited: bool = False  # the built-in wording was changed by the user
    #: False when a conversation refers to a prompt this version no longer has (its notes stay).
    available: bool = True

    def text(self, audience: Audience) -> str:
        return self.supervisor if audience is Audience.SUPERVISOR else self.employee


def _custom_id(prompt_id: str) -> str | None:
    return prompt_id[len(CUSTOM_PREFIX) :] if prompt_id.startswith(CUSTOM_PREFIX) else None


def _layout_entries(value: object) -> list[dict[str, object]]:
    if not isinstance(value, list):
        return []
    return [e for e in value if isinstance(e, dict) and isinstance(e.get("prompt_id"), str)]


class PromptService(Service):
    """Custom prompts, wording, order, hiding and templates (``Services.prompts``)."""

    def __init__(self, journal: Journal, *, content: Content | None = None) -> None:
        super().__init__(journal)
        self._content = content

    @property
    def content(self) -> Content:
        """The built-in content in the journal's language (English filling any gap)."""
        if self._content is None:
            with self.journal.reading() as session:
                return self._content_in(session)
        return self._content

    def _content_in(self, session: Session) -> Content:
        if self._content is None:
            row = session.get(SettingRow, LANGUAGE)
            lang = row.value.get("v") if row is not None else None
            self._content = load_content(lang if isinstance(lang, str) and lang else "en")
        return self._content

    # -- the effective list ------------------------------------------------------------------

    def effective_prompts(
        self,
        stage: StageId | str,
        *,
        method_pack: str | None = None,
        template_id: str | None = None,
        conversation_id: str | None = None,
    ) -> list[EffectivePrompt]:
        """The prompts of one stage in order, hidden ones included (``hidden`` says so).

        The method pack is ``method_pack`` when given, else the template's, else the
        conversation's, else ``default``. With ``template_id`` the template's own list is used
        instead of the default list; with ``conversation_id`` that conversation's own prompts,
        carried-over prompts and its hide/order choices are applied on top.
        """
        stage = StageId(stage)
        with self.journal.reading() as session:
            return self._effective(session, stage, method_pack, template_id, conversation_id)

    def _effective(
        self,
        session: Session,
        stage: StageId,
        method_pack: str | None,
        template_id: str | None,
        conversation_id: str | None,
    ) -> list[EffectivePrompt]:
        template = (
            self._get(session, PromptTemplateRow, template_id, "template") if template_id else None
        )
        conversation = (
            self._get(session, ConversationRow, conversation_id, "conversation")
            if conversation_id
            else None
        )
        content = self._content_in(session)
        if method_pack is not None:
            content.pack(method_pack)  # an unknown pack asked for by name is an error
            pack = method_pack
        else:
            stored = (template.method_pack if template else None) or (
                conversation.method_pack if conversation else None
            )
            # A pack this version does not ship (a journal from a newer one): use the default.
            pack = stored if stored is not None and stored in content.packs else DEFAULT_PACK
        builtins_ = content.prompts(stage, pack)
        if template is not None:
            customs = self._customs(session, stage, template_id=template.id)
            layout = _layout_entries(template.layout.get(stage.value))
            wording: Mapping[str, Any] = template.wording
        else:
            customs = self._customs(session, stage)
            layout = _layout_entries(
                self._setting(session, LAYOUT_KEY).get(pack, {}).get(stage.value)
            )
            wording = self._setting(session, WORDING_KEY)

        items: dict[str, EffectivePrompt] = {}
        for prompt in builtins_:
            text = wording.get(prompt.id)
            edited = isinstance(text, str) and bool(text.strip())
            items[prompt.id] = EffectivePrompt(
                prompt_id=prompt.id,
                stage=stage,
                supervisor=str(text) if edited else prompt.supervisor,
                employee=str(text) if edited else prompt.employee,
                hint=prompt.hint,
                edited=edited,
            )
        for custom in customs:
            items[custom.prompt_id] = self._from_custom(custom)

        order = [str(e["prompt_id"]) for e in layout if e["prompt_id"] in items]
        order += [p for p in items if p not in order]
        hidden = {str(e["prompt_id"]): bool(e.get("hidden", False)) for e in layout}

        if conversation is not None:
            for custom in self._customs(session, stage, conversation_id=conversation.id):
                items[custom.prompt_id] = self._from_custom(custom)
                order.append(custom.prompt_id)
            answers = session.scalars(
                select(AnswerRow).where(
                    AnswerRow.conversation_id == conversation.id,
                    AnswerRow.stage == stage.value,
                )
            ).all()
            by_prompt = {a.prompt_id: a for a in answers}
            for answer in sorted(answers, key=lambda a: (a.position, a.created_at)):
                if answer.prompt_id not in items:  # carried over, or from another pack
                    items[answer.prompt_id] = self._resolve(session, answer.prompt_id, stage)
                    order.append(answer.prompt_id)
            for prompt_id, answer in by_prompt.items():
                hidden[prompt_id] = answer.hidden
            index = {p: i for i, p in enumerate(order)}

            def place(prompt_id: str) -> tuple[int, int]:
                answer = by_prompt.get(prompt_id)
                if answer is not None and answer.position > 0:
                    return (0, answer.position)
                return (1, index[prompt_id])

            order.sort(key=place)

        return [
            _replace(items[p], hidden=hidden.get(p, False), position=i) for i, p in enumerate(order)
        ]

    def _from_custom(self, custom: CustomPrompt) -> EffectivePrompt:
        return EffectivePrompt(
            prompt_id=custom.prompt_id,
            stage=custom.stage,
            supervisor=custom.text,
            employee=custom.text,
            hint=custom.hint,
            is_custom=True,
        )

    def _resolve(self, session: Session, prompt_id: str, stage: StageId) -> EffectivePrompt:
        custom_id = _custom_id(prompt_id)
        if custom_id is not None:
            row = session.get(CustomPromptRow, custom_id)
            if row is not None:
                return self._from_custom(to_domain(row, CustomPrompt))
        else:
            prompt = self._content_in(session).find_prompt(prompt_id)
            if prompt is not None:
                wording = self._setting(session, WORDING_KEY).get(prompt_id)
                edited = isinstance(wording, str) and bool(wording.strip())
                return EffectivePrompt(
                    prompt_id=prompt_id,
                    stage=stage,
                    supervisor=str(wording) if edited else prompt.supervisor,
                    employee=str(wording) if edited else prompt.employee,
                    hint=prompt.hint,
                    edited=edited,
                )
        return EffectivePrompt(
            prompt_id=prompt_id, stage=stage, supervisor="", employee="", available=False
        )

    # -- custom prompts ------------------------------------------------------------------------

    def custom_prompts(
        self,
        stage: StageId | str | None = None,
        *,
        template_id: str | None = None,
        conversation_id: str | None = None,
    ) -> list[CustomPrompt]:
        """The user's own prompts of the default list, a template or a conversation."""
        with self.journal.reading() as session:
            stages = [StageId(stage)] if stage is not None else list(CONTENT_STAGES)
            return [
                p
                for s in stages
                for p in self._customs(
                    session, s, template_id=template_id, conversation_id=conversation_id
                )
            ]

    @staticmethod
    def _customs(
        session: Session,
        stage: StageId,
        *,
        template_id: str | None = None,
        conversation_id: str | None = None,
    ) -> list[CustomPrompt]:
        query = select(CustomPromptRow).where(CustomPromptRow.stage == stage.value)
        query = query.where(
            CustomPromptRow.template_id == template_id
            if template_id
            else CustomPromptRow.template_id.is_(None)
        )
        query = query.where(
            CustomPromptRow.conversation_id == conversation_id
            if conversation_id
            else CustomPromptRow.conversation_id.is_(None)
        )
        rows = session.scalars(query.order_by(CustomPromptRow.created_at, CustomPromptRow.id))
        return [to_domain(r, CustomPrompt) for r in rows]

    def add_custom(
        self,
        stage: StageId | str,
        text: str,
        *,
        hint: str = "",
        template_id: str | None = None,
        conversation_id: str | None = None,
    ) -> CustomPrompt:
        """A prompt of the user's own, added at the end of a stage's list (prompt id
        ``custom:<id>``): to the default list, a template, or one conversation."""
        stage = StageId(stage)
        if stage not in CONTENT_STAGES:
            raise InvalidInputError(f"The {stage.value} stage has no questions to add to.")
        text = require_text(text, "question")
        with self.journal.transaction() as session:
            if template_id:
                self._get(session, PromptTemplateRow, template_id, "template")
            if conversation_id:
                self._get(session, ConversationRow, conversation_id, "conversation")
            row = CustomPromptRow(
                id=new_id(),
                stage=stage.value,
                text=text,
                hint=hint.strip(),
                template_id=template_id,
                conversation_id=conversation_id,
            )
            session.add(row)
            session.flush()
            return to_domain(row, CustomPrompt)

    def update_custom(
        self, prompt_id: str, *, text: str | None = None, hint: str | None = None
    ) -> CustomPrompt:
        """Change the wording or hint of one of the user's own prompts (id with or without
        the ``custom:`` prefix)."""
        with self.journal.transaction() as session:
            row = self._get(
                session, CustomPromptRow, _custom_id(prompt_id) or prompt_id, "question"
            )
            if text is not None:
                row.text = require_text(text, "question")
            if hint is not None:
                row.hint = hint.strip()
            session.flush()
            return to_domain(row, CustomPrompt)

    def restore_custom(self, custom: CustomPrompt) -> CustomPrompt:
        """Put back a removed question of the user's own from its snapshot (same id, so its
        answers find it again): undo."""
        with self.journal.transaction() as session:
            if custom.template_id:
                self._get(session, PromptTemplateRow, custom.template_id, "template")
            if custom.conversation_id:
                self._get(session, ConversationRow, custom.conversation_id, "conversation")
            return to_domain(self._restore(session, CustomPromptRow, custom), CustomPrompt)

    def delete_custom(self, prompt_id: str) -> None:
        """Remove one of the user's own prompts (its answers in conversations stay, shown as no
        longer available, so no note is lost)."""
        with self.journal.transaction() as session:
            row = self._get(
                session, CustomPromptRow, _custom_id(prompt_id) or prompt_id, "question"
            )
            session.delete(row)
        self.journal.purge_deleted()

    # -- wording, hiding, order ----------------------------------------------------------------

    def set_wording(
        self, prompt_id: str, text: str | None, *, template_id: str | None = None
    ) -> None:
        """Reword a prompt; ``None`` or empty text restores the built-in wording.

        A custom prompt's own text is changed instead. Without ``template_id`` the edit applies
        to the default list.
        """
        if _custom_id(prompt_id) is not None:
            if text is None or not text.strip():
                raise InvalidInputError("The question cannot be empty.")
            self.update_custom(prompt_id, text=text)
            return
        if self.content.find_prompt(prompt_id) is None:
            raise NotFoundError(f"There is no built-in question “{prompt_id}”.")
        cleaned = (text or "").strip()
        with self.journal.transaction() as session:
            if template_id:
                row = self._get(session, PromptTemplateRow, template_id, "template")
                wording = dict(row.wording)
                _set_or_drop(wording, prompt_id, cleaned)
                row.wording = wording
            else:
                wording = dict(self._setting(session, WORDING_KEY))
                _set_or_drop(wording, prompt_id, cleaned)
                self._put_setting(session, WORDING_KEY, wording)

    def wording_edits(self, *, template_id: str | None = None) -> dict[str, str]:
        """Built-in prompt id -> the user's wording, for the default list or a template."""
        with self.journal.reading() as session:
            if template_id:
                row = self._get(session, PromptTemplateRow, template_id, "template")
                return {str(k): str(v) for k, v in row.wording.items()}
            return {str(k): str(v) for k, v in self._setting(session, WORDING_KEY).items()}

    def set_hidden(
        self,
        stage: StageId | str,
        prompt_id: str,
        hidden: bool,
        *,
        method_pack: str | None = None,
        template_id: str | None = None,
        conversation_id: str | None = None,
    ) -> None:
        """Hide or show one prompt in the default list, a template or one conversation."""
        stage = StageId(stage)
        with self.journal.transaction() as session:
            current = self._effective(session, stage, method_pack, template_id, conversation_id)
            if prompt_id not in {p.prompt_id for p in current}:
                raise NotFoundError("That question is not in this list.")
            if conversation_id:
                self._answer(session, conversation_id, prompt_id, stage).hidden = hidden
                return
            layout = [
                {
                    "prompt_id": p.prompt_id,
                    "hidden": hidden if p.prompt_id == prompt_id else p.hidden,
                }
                for p in current
            ]
            self._store_layout(session, stage, layout, method_pack, template_id)

    def reorder(
        self,
        stage: StageId | str,
        prompt_ids: Sequence[str],
        *,
        method_pack: str | None = None,
        template_id: str | None = None,
        conversation_id: str | None = None,
    ) -> list[EffectivePrompt]:
        """Put a stage's prompts in the given order; any not named keep their order after them."""
        stage = StageId(stage)
        with self.journal.transaction() as session:
            current = self._effective(session, stage, method_pack, template_id, conversation_id)
            known = {p.prompt_id: p for p in current}
            unknown = [p for p in prompt_ids if p not in known]
            if unknown:
                raise NotFoundError("A question to reorder is not in this list.")
            order = list(dict.fromkeys(prompt_ids))
            order += [p.prompt_id for p in current if p.prompt_id not in order]
            if conversation_id:
                for position, prompt_id in enumerate(order, start=1):
                    self._answer(session, conversation_id, prompt_id, stage).position = position
            else:
                layout = [{"prompt_id": p, "hidden": known[p].hidden} for p in order]
                self._store_layout(session, stage, layout, method_pack, template_id)
            session.flush()
            return self._effective(session, stage, method_pack, template_id, conversation_id)

    def _store_layout(
        self,
        session: Session,
        stage: StageId,
        layout: list[dict[str, object]],
        method_pack: str | None,
        template_id: str | None,
    ) -> None:
        if template_id:
            row = self._get(session, PromptTemplateRow, template_id, "template")
            row.layout = {**row.layout, stage.value: layout}
            return
        pack = method_pack or DEFAULT_PACK
        stored = dict(self._setting(session, LAYOUT_KEY))
        stored[pack] = {**stored.get(pack, {}), stage.value: layout}
        self._put_setting(session, LAYOUT_KEY, stored)

    @staticmethod
    def _answer(
        session: Session, conversation_id: str, prompt_id: str, stage: StageId
    ) -> AnswerRow:
        row = session.scalars(
            select(AnswerRow).where(
                AnswerRow.conversation_id == conversation_id, AnswerRow.prompt_id == prompt_id
            )
        ).first()
        if row is None:
            row = AnswerRow(
                id=new_id(),
                conversation_id=conversation_id,
                prompt_id=prompt_id,
                stage=stage.value,
                text="",
                asked=False,
                private=False,
                hidden=False,
                position=0,
            )
            session.add(row)
        return row

    def reset(self, *, method_pack: str | None = None, template_id: str | None = None) -> None:
        """Forget the order and hiding of a list (wording edits and own prompts stay)."""
        with self.journal.transaction() as session:
            if template_id:
                row = self._get(session, PromptTemplateRow, template_id, "template")
                row.layout = {}
                return
            stored = dict(self._setting(session, LAYOUT_KEY))
            stored.pop(method_pack or DEFAULT_PACK, None)
            self._put_setting(session, LAYOUT_KEY, stored)

    # -- templates -----------------------------------------------------------------------------

    def templates(self) -> list[PromptTemplate]:
        """Every saved template, by name."""
        with self.journal.reading() as session:
            rows = session.scalars(select(PromptTemplateRow)).all()
            found = [to_domain(r, PromptTemplate) for r in rows]
        return sorted(found, key=lambda t: (t.name.casefold(), t.id))

    def template(self, template_id: str) -> PromptTemplate:
        with self.journal.reading() as session:
            return to_domain(
                self._get(session, PromptTemplateRow, template_id, "template"), PromptTemplate
            )

    def save_template(
        self,
        name: str,
        *,
        method_pack: str | None = None,
        from_template_id: str | None = None,
        conversation_id: str | None = None,
    ) -> PromptTemplate:
        """Save the list as it is now (the default list, another template, or a conversation's)
        as a named template. The template gets its own copies of the custom prompts in it, so it
        stands alone and can be exported."""
        name = require_text(name, "template name")
        with self.journal.transaction() as session:
            self._check_name_free(session, name)
            pack = method_pack
            if pack is None and from_template_id:
                pack = self._get(
                    session, PromptTemplateRow, from_template_id, "template"
                ).method_pack
            if pack is None and conversation_id:
                pack = self._get(
                    session, ConversationRow, conversation_id, "conversation"
                ).method_pack
            pack = pack or DEFAULT_PACK
            self._content_in(session).pack(pack)  # refuses an unknown pack
            template_id = new_id()
            row = PromptTemplateRow(
                id=template_id, name=name, method_pack=pack, layout={}, wording={}
            )
            session.add(row)
            session.flush()
            layout: dict[str, Any] = {}
            wording: dict[str, str] = {}
            for stage in CONTENT_STAGES:
                entries = []
                current = self._effective(session, stage, pack, from_template_id, conversation_id)
                for prompt in current:
                    if not prompt.available:
                        continue
                    prompt_id = prompt.prompt_id
                    if prompt.is_custom:
                        copy = CustomPromptRow(
                            id=new_id(),
                            stage=stage.value,
                            text=prompt.supervisor,
                            hint=prompt.hint,
                            template_id=template_id,
                        )
                        session.add(copy)
                        prompt_id = CUSTOM_PREFIX + copy.id
                    elif prompt.edited:
                        wording[prompt_id] = prompt.supervisor
                    entries.append({"prompt_id": prompt_id, "hidden": prompt.hidden})
                layout[stage.value] = entries
            row.layout = layout
            row.wording = wording
            session.flush()
            return to_domain(row, PromptTemplate)

    def rename_template(self, template_id: str, name: str) -> PromptTemplate:
        name = require_text(name, "template name")
        with self.journal.transaction() as session:
            row = self._get(session, PromptTemplateRow, template_id, "template")
            if row.name != name:
                self._check_name_free(session, name)
                row.name = name
            session.flush()
            return to_domain(row, PromptTemplate)

    def delete_template(self, template_id: str) -> None:
        """Delete a template and its own prompts (conversations keep their answers)."""
        with self.journal.transaction() as session:
            row = self._get(session, PromptTemplateRow, template_id, "template")
            for custom in session.scalars(
                select(CustomPromptRow).where(CustomPromptRow.template_id == template_id)
            ):
                session.delete(custom)
            session.delete(row)
        self.journal.purge_deleted()

    @staticmethod
    def _check_name_free(session: Session, name: str) -> None:
        taken = session.scalars(
            select(PromptTemplateRow.id).where(PromptTemplateRow.name == name)
        ).first()
        if taken is not None:
            raise InvalidInputError(f"There is already a template called “{name}”.")

    def export_template(self, template_id: str, path: Path) -> None:
        """Write a template, with its own prompts, to a .json or .toml file."""
        with self.journal.reading() as session:
            row = self._get(session, PromptTemplateRow, template_id, "template")
            customs = session.scalars(
                select(CustomPromptRow)
                .where(CustomPromptRow.template_id == template_id)
                .order_by(CustomPromptRow.created_at, CustomPromptRow.id)
            ).all()
            template = TemplateFile(
                name=row.name,
                method_pack=row.method_pack,
                layout={stage: _layout_entries(entries) for stage, entries in row.layout.items()},
                wording={str(k): str(v) for k, v in row.wording.items()},
                custom_prompts=tuple(
                    TemplateCustomPrompt(c.id, StageId(c.stage), c.text, c.hint) for c in customs
                ),
            )
        write_template_file(Path(path), template)

    def import_template(self, path: Path, *, name: str | None = None) -> PromptTemplate:
        """Read a template file and save it as a new template.

        The whole file is checked first: a bad file raises ContentError and changes nothing.
        The template and its prompts get new ids; a name already in use gets a number added.
        """
        parsed = read_template_file(Path(path), self.content)
        wanted = (name or parsed.name).strip() or Path(path).stem
        with self.journal.transaction() as session:
            final_name = self._free_name(session, wanted)
            template_id = new_id()
            renamed: dict[str, str] = {}
            session.add(
                PromptTemplateRow(
                    id=template_id,
                    name=final_name,
                    method_pack=parsed.method_pack,
                    layout={},
                    wording=dict(parsed.wording),
                )
            )
            session.flush()
            for custom in parsed.custom_prompts:
                new = new_id()
                renamed[custom.prompt_id] = CUSTOM_PREFIX + new
                session.add(
                    CustomPromptRow(
                        id=new,
                        stage=custom.stage.value,
                        text=custom.text,
                        hint=custom.hint,
                        template_id=template_id,
                    )
                )
            row = self._get(session, PromptTemplateRow, template_id, "template")
            row.layout = {
                stage: [
                    {
                        "prompt_id": renamed.get(str(e["prompt_id"]), str(e["prompt_id"])),
                        "hidden": bool(e["hidden"]),
                    }
                    for e in entries
                ]
                for stage, entries in parsed.layout.items()
            }
            session.flush()
            return to_domain(row, PromptTemplate)

    @staticmethod
    def _free_name(session: Session, wanted: str) -> str:
        names = set(session.scalars(select(PromptTemplateRow.name)).all())
        if wanted not in names:
            return wanted
        number = 2
        while f"{wanted} ({number})" in names:
            number += 1
        return f"{wanted} ({number})"

    # -- settings helpers ----------------------------------------------------------------------

    @staticmethod
    def _setting(session: Session, key: str) -> dict[str, Any]:
        row = session.get(SettingRow, key)
        value = row.value.get("v") if row is not None else None
        return dict(value) if isinstance(value, dict) else {}

    @staticmethod
    def _put_setting(session: Session, key: str, value: dict[str, Any]) -> None:
        row = session.get(SettingRow, key)
        if row is None:
            session.add(SettingRow(key=key, value={"v": value}))
        else:
            row.value = {"v": value}


def _set_or_drop(mapping: dict[str, Any], key: str, value: str) -> None:
    if value:
        mapping[key] = value
    else:
        mapping.pop(key, None)


def _replace(prompt: EffectivePrompt, *, hidden: bool, position: int) -> EffectivePrompt:
    return replace(prompt, hidden=hidden, position=position)
