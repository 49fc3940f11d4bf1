"""The command line: ``careerdesk [--file PATH] [COMMAND ...]`` (DESIGN.md §7).

Headless subcommands live here and never import Qt. Every failure the user can cause ends as one
line on stderr and a non-zero exit; unexpected errors are logged (without note text).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from careerdesk import __version__
from careerdesk.errors import CareerDeskError, InvalidInputError
from careerdesk.logs import log, log_unexpected, safe_traceback, setup_logging
from careerdesk.paths import AppPaths, app_paths, tighten_app_folders

if TYPE_CHECKING:
    from careerdesk.services import Services
    from careerdesk.services.search import Highlighted
    from careerdesk.storage.journal import Journal, PassphraseRequest
    from careerdesk.storage.replace import Settled

#: Kept here (not imported from storage) so that `careerdesk --help` stays light.
SEARCH_KINDS = (
    "entry", "answer", "note", "match_item", "action", "conversation", "person", "prompt",
)

#: What ``careerdesk export`` writes (PDFs first, then the files for the other side).
EXPORT_KINDS = ("plan", "prep", "record", "book", "progress", "calendar", "template")
PDF_KINDS = ("plan", "prep", "record", "book")

EXIT_USER_ERROR = 1
EXIT_USAGE = 2
EXIT_UNEXPECTED = 70

Handler = Callable[[argparse.Namespace, AppPaths], int]


class _Parser(argparse.ArgumentParser):
    """argparse that reports bad usage in one line (exit 2) instead of the usage block."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"careerdesk: {message} (see careerdesk --help)\n")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (use YYYY-MM-DD)") from None


def _file_option(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    # On subcommands the default is suppressed, so `careerdesk --file X demo` keeps X.
    parser.add_argument(
        "--file", type=Path, default=None if top else argparse.SUPPRESS, metavar="PATH",
        help="the journal file (default: journal.careerdesk in your data folder)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="careerdesk",
        description="Private, offline career conversations and career journal.",
    )
    parser.add_argument("--version", action="version", version=f"CareerDesk {__version__}")
    _file_option(parser, top=True)
    parser.add_argument(
        "--smoke", action="store_true",
        help="open the window, wait until the journal is on screen, print the times, exit",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    demo = sub.add_parser("demo", help="create a realistic demo journal")
    _file_option(demo)
    demo.add_argument("--people", type=int, default=8, help="people in the roster (default 8)")
    demo.add_argument("--years", type=int, default=2, help="years of history (default 2)")
    demo.add_argument("--seed", type=int, default=7, help="random seed (same seed, same journal)")
    demo.add_argument("--force", action="store_true", help="replace an existing file")
    demo.add_argument(
        "--encrypt", action="store_true",
        help="protect it with a passphrase (from CAREERDESK_NEW_PASSPHRASE or the terminal)",
    )
    demo.set_defaults(handler=_cmd_demo)

    dump = sub.add_parser("dump", help="write the journal (or one person) as open JSON")
    _file_option(dump)
    dump.add_argument("--out", type=Path, required=True, help="JSON file to write (- for stdout)")
    dump.add_argument("--person", help="only this person")
    dump.set_defaults(handler=_cmd_dump)

    load = sub.add_parser("load", help="fill a new or empty journal from a JSON dump")
    _file_option(load)
    load.add_argument("source", type=Path, help="the JSON file to read")
    load.set_defaults(handler=_cmd_load)

    backup = sub.add_parser("backup", help="take a backup now (or list them with --list)")
    _file_option(backup)
    backup.add_argument("--list", action="store_true", help="list the backups of this journal")
    backup.set_defaults(handler=_cmd_backup)

    restore = sub.add_parser("restore", help="replace the journal with a backup")
    _file_option(restore)
    restore.add_argument("backup", type=Path, help="backup file (careerdesk backup --list)")
    restore.set_defaults(handler=_cmd_restore)

    export = sub.add_parser(
        "export", help="write a PDF (plan, prep sheet, record, book), a plan or progress file, "
                       "a calendar or a question template"
    )
    _file_option(export)
    export.add_argument("kind", choices=EXPORT_KINDS,
                        help="plan: the shared plan (.pdf, or .careerplan to import in the "
                             "employee's CareerDesk); prep: prep sheet; record: one "
                             "conversation; book: everything of a date range; progress: the "
                             "progress on imported plans (.careerplan); calendar: next "
                             "conversations and due steps (.ics); template: a question "
                             "template (.json or .toml)")
    export.add_argument("--person", help="the person (name, unique prefix or id); required "
                                         "for plan, prep, record and book")
    export.add_argument("--out", type=Path, required=True,
                        help="the file to write (its suffix chooses the format of a plan)")
    export.add_argument("--audience", choices=("employee", "supervisor"),
                        help="prep only: a short fillable pre-read, worded for the employee to "
                             "fill in, or for the supervisor's own preparation")
    export.add_argument("--template", metavar="NAME",
                        help="template only: which saved question template (default: your "
                             "default question list as it is now)")
    export.add_argument("--conversation", metavar="DATE-or-ID",
                        help="which conversation (plan, record; default: the newest)")
    export.add_argument("--include-private", action="store_true",
                        help="record and book only: include private notes, each marked "
                             "(never in a plan or prep sheet)")
    export.add_argument("--from", dest="date_from", type=_date, metavar="DATE",
                        help="book only: first day (YYYY-MM-DD)")
    export.add_argument("--to", dest="date_to", type=_date, metavar="DATE",
                        help="book only: last day (YYYY-MM-DD)")
    export.add_argument("--paper", choices=("a4", "letter"), default="a4",
                        help="paper size (default a4)")
    export.set_defaults(handler=_cmd_export)

    importing = sub.add_parser(
        "import", help="bring in a plan or progress file, a filled prep sheet, a roster CSV "
                       "or a question template (the kind is told from the content)")
    _file_option(importing)
    importing.add_argument("source", type=Path, help="the file to import")
    importing.add_argument("--person", help="who it is about (default: the person named in "
                                            "the file; for a plan, \"me\")")
    importing.add_argument("--dry-run", action="store_true",
                           help="show what would change, change nothing")
    importing.set_defaults(handler=_cmd_import)

    search = sub.add_parser("search", help="find words anywhere in the journal")
    _file_option(search)
    search.add_argument("query", help="words to find (each word also matches as a prefix)")
    search.add_argument("--person", help="only records about this person")
    search.add_argument(
        "--kind", action="append", metavar="KIND",
        help="only this kind of record (repeatable): " + ", ".join(SEARCH_KINDS),
    )
    search.add_argument("--tag", help="only journal entries with this tag")
    search.add_argument("--from", dest="since", type=_date, metavar="DATE",
                        help="only records dated on or after DATE (YYYY-MM-DD)")
    search.add_argument("--to", dest="until", type=_date, metavar="DATE",
                        help="only records dated on or before DATE (YYYY-MM-DD)")
    search.add_argument("--no-private", action="store_true", help="leave private notes out")
    search.add_argument("--limit", type=int, default=50, help="at most this many (default 50)")
    search.add_argument("--json", action="store_true", help="print the matches as JSON")
    search.set_defaults(handler=_cmd_search)

    check = sub.add_parser(
        "check", help="check the journal's integrity (only reads: the file is never changed)"
    )
    _file_option(check)
    check.add_argument("--verbose", action="store_true",
                       help="list every problem found (SQLite's own report), not only the count")
    check.set_defaults(handler=_cmd_check)

    repair = sub.add_parser(
        "repair", help="rebuild a damaged or missing search index (a backup is taken first)"
    )
    _file_option(repair)
    repair.set_defaults(handler=_cmd_repair)

    passphrase = sub.add_parser(
        "passphrase",
        help="set, change or remove the journal's passphrase",
        description=(
            "The current passphrase comes from CAREERDESK_PASSPHRASE, the new one from "
            "CAREERDESK_NEW_PASSPHRASE; without them you are asked on the terminal. "
            "A forgotten passphrase means the journal cannot be recovered, by anyone, "
            "unless you keep the recovery key."
        ),
    )
    _file_option(passphrase)
    passphrase.add_argument(
        "action", choices=["set", "change", "remove", "recovery-key"],
        help="set: encrypt; change: new passphrase; remove: decrypt; "
        "recovery-key: make a new recovery key (the old one stops working)",
    )
    passphrase.add_argument(
        "--recovery-key", action="store_true", dest="with_recovery",
        help="with set: also make a recovery key, shown once",
    )
    passphrase.set_defaults(handler=_cmd_passphrase)
    return parser


PASSPHRASE_ENV = "CAREERDESK_PASSPHRASE"  # noqa: S105 - the variable's name, not a secret
NEW_PASSPHRASE_ENV = "CAREERDESK_NEW_PASSPHRASE"  # noqa: S105 - same


def ask_secret(prompt: str) -> str:
    """Ask on the terminal without echo (tests patch this one function)."""
    import getpass

    return getpass.getpass(prompt)


def _can_ask() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def current_passphrase(path: Path, settled: Settled | None = None) -> str:
    """The passphrase of an encrypted journal: ``CAREERDESK_PASSPHRASE`` or the terminal, whose
    prompt names the passphrase wanted (after an interrupted restore: the backup's)."""
    from careerdesk.errors import PassphraseError
    from careerdesk.services.journal_files import passphrase_prompt

    value = os.environ.get(PASSPHRASE_ENV)
    if value is not None:
        return value
    if not _can_ask():
        raise PassphraseError(
            f"{path.name} is encrypted: set {PASSPHRASE_ENV} or run in a terminal to be asked."
        )
    return ask_secret(f"{passphrase_prompt(path, settled)}: ")


def new_passphrase(path: Path) -> str:
    """A new passphrase: ``CAREERDESK_NEW_PASSPHRASE`` or asked twice on the terminal."""
    from careerdesk.errors import PassphraseError

    value = os.environ.get(NEW_PASSPHRASE_ENV)
    if value is not None:
        return value
    if not _can_ask():
        raise PassphraseError(
            f"A new passphrase is needed: set {NEW_PASSPHRASE_ENV} or run in a terminal."
        )
    print(
        "A forgotten passphrase means the journal cannot be recovered, by anyone. "
        "Write it down somewhere safe.",
        file=sys.stderr,
    )
    first = ask_secret(f"New passphrase for {path.name}: ")
    if ask_secret("The same passphrase again: ") != first:
        raise PassphraseError("The two passphrases are not the same; nothing was changed.")
    return first


def journal_path(args: argparse.Namespace, paths: AppPaths) -> Path:
    file: Path | None = getattr(args, "file", None)
    return (file if file is not None else paths.default_journal).expanduser().absolute()


#: Journals opened by this command, so that what their close could not do is reported.
_opened: list[Journal] = []


def open_for_cli(
    args: argparse.Namespace, paths: AppPaths, *, create: bool = False, read_only: bool = False,
    repair_index: bool = True,
) -> Journal:
    """Open the journal named by ``--file`` (or the default one) for a CLI command: lock,
    settle, and only then decide whether a passphrase is needed (and which one).

    ``read_only`` writes nothing at all to it (``check``: no migration, no lock on read-only
    media); ``repair_index=False`` (dump, search, export, repair) leaves a damaged search index
    as it is (``careerdesk repair`` rebuilds it, after a backup)."""
    from careerdesk.paths import ensure_dir
    from careerdesk.services.journal_files import open_journal_file

    path = journal_path(args, paths)
    if create and getattr(args, "file", None) is None:
        ensure_dir(path.parent)
    told: list[bool] = []

    def ask(request: PassphraseRequest) -> str:
        _tell_settled(path, request.settled)
        told.append(True)
        return current_passphrase(path, request.settled)

    journal = open_journal_file(
        path, backup_root=paths.backup_dir, passphrase=ask, create=create,
        holder=f"careerdesk {args.command}", read_only=read_only,
        repair_index=repair_index and not read_only,
    )
    if not told:
        _tell_settled(path, journal.settled)
    _opened.append(journal)
    return journal


def _tell_settled(path: Path, settled: Settled | None) -> None:
    """One line on what an open did to finish an interrupted restore or passphrase change."""
    if settled is not None:
        print(f"careerdesk: {settled.describe(path.name)}", file=sys.stderr)


def services_for(journal: Journal) -> Services:
    from careerdesk.services import Services

    return Services(journal)


# -- commands ----------------------------------------------------------------------------------
def _cmd_demo(args: argparse.Namespace, paths: AppPaths) -> int:
    from careerdesk.services.demo import DemoOptions
    from careerdesk.services.journal_files import create_demo, settle

    path = journal_path(args, paths)
    if args.people < 1 or args.years < 1:
        raise InvalidInputError("--people and --years must be at least 1.")
    if getattr(args, "file", None) is None:
        from careerdesk.paths import ensure_dir

        ensure_dir(path.parent)
    elif not path.parent.is_dir():
        raise InvalidInputError(f"The folder {path.parent} does not exist.")
    _tell_settled(path, settle(path, holder="careerdesk demo"))
    if path.exists() and not args.force:
        raise InvalidInputError(
            f"{path} already exists; choose another --file or add --force to replace it."
        )
    secret = new_passphrase(path) if args.encrypt else None
    counts = create_demo(
        path, DemoOptions(people=args.people, years=args.years, seed=args.seed),
        backup_root=paths.backup_dir, passphrase=secret, force=args.force,
    )
    print(
        f"{'Encrypted demo' if args.encrypt else 'Demo'} journal written to {path}: "
        f"{counts.people} people, "
        f"{counts.conversations} conversations, {counts.actions} next steps, "
        f"{counts.entries} journal entries."
    )
    return 0


def _cmd_dump(args: argparse.Namespace, paths: AppPaths) -> int:
    from careerdesk.services.interchange import dump_journal, write_json

    with open_for_cli(args, paths, repair_index=False) as journal:
        services = services_for(journal)
        person = services.people.find(args.person) if args.person else None
        document = dump_journal(services, person_id=None if person is None else person.id)
    if str(args.out) == "-":
        sys.stdout.write(write_json(document))
    else:
        from careerdesk.services.interchange import save_json

        save_json(document, args.out)
        print(f"Wrote {args.out}")
    return 0


def _cmd_load(args: argparse.Namespace, paths: AppPaths) -> int:
    from careerdesk.services.journal_files import load_dump

    path = journal_path(args, paths)
    if getattr(args, "file", None) is None:
        from careerdesk.paths import ensure_dir

        ensure_dir(path.parent)

    def ask(request: PassphraseRequest) -> str:
        _tell_settled(path, request.settled)
        return current_passphrase(path, request.settled)

    # Validated before anything is opened or created; a refused load leaves no file behind.
    counts, journal = load_dump(path, args.source, backup_root=paths.backup_dir,
                                passphrase=ask)
    _opened.append(journal)
    print(f"Loaded {counts} records into {path}")
    return 0


def _cmd_backup(args: argparse.Namespace, paths: AppPaths) -> int:
    from careerdesk.services.journal_files import back_up_now, backups_of
    from careerdesk.storage.backup import list_backups, remove_partial_backups

    path = journal_path(args, paths)
    folder = backups_of(path, paths.backup_dir)
    if args.list:
        remove_partial_backups(folder)
        backups = list_backups(folder)
        if not backups:
            print(f"No backups of {path.name} yet (they go to {folder}).")
        for info in backups:
            taken = info.taken_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
            print(f"{taken}  {info.reason:<28} {info.size:>10} bytes  {info.path}")
        return 0
    with open_for_cli(args, paths) as journal:
        target = back_up_now(journal, backup_root=paths.backup_dir)
    print(f"Backup written to {target}")
    return 0


def _cmd_restore(args: argparse.Namespace, paths: AppPaths) -> int:
    from careerdesk.services.journal_files import restore, settle

    path = journal_path(args, paths)
    settled = settle(path, holder="careerdesk restore")
    _tell_settled(path, settled)
    if (settled is not None and settled.finished and settled.kind == "restore"
            and settled.origin == args.backup.name):
        print(f"{path} already holds the backup {args.backup.name}; nothing more to do.")
        return 0
    backup_key = _backup_key(args.backup)  # asked before anything is written
    result = restore(
        args.backup, path, backup_root=paths.backup_dir, backup_key=backup_key,
        open_current=lambda: open_for_cli(args, paths),
    )
    print(result.describe())
    return 0


BACKUP_PASSPHRASE_ENV = "CAREERDESK_BACKUP_PASSPHRASE"  # noqa: S105 - a variable's name


def _backup_key(backup: Path) -> bytearray | None:
    """The data key of an encrypted backup, from its own key file. Its passphrase is the one in
    use when it was taken: ``CAREERDESK_BACKUP_PASSPHRASE``, else the journal's own
    (``CAREERDESK_PASSPHRASE``), else asked on the terminal."""
    from collections.abc import Iterator

    from careerdesk.errors import PassphraseError
    from careerdesk.services.journal_files import backup_key

    def secrets() -> Iterator[str]:
        given = [os.environ.get(n) for n in (BACKUP_PASSPHRASE_ENV, PASSPHRASE_ENV)]
        yield from (value for value in given if value is not None)
        if not _can_ask():
            raise PassphraseError(
                f"The backup {backup.name} is encrypted with the passphrase in use when it was "
                f"taken: set {BACKUP_PASSPHRASE_ENV} or run in a terminal to be asked."
            )
        yield ask_secret(f"Passphrase of the backup {backup.name} (or its recovery key): ")

    return backup_key(backup, secrets)


def _cmd_passphrase(args: argparse.Namespace, paths: AppPaths) -> int:
    from careerdesk.services import journal_files

    path = journal_path(args, paths)
    holder = f"careerdesk passphrase {args.action}"
    # Lock and settle first, so that what is asked (and of which passphrase) fits the journal
    # as it is now; each procedure decides again under its own lock.
    settled = journal_files.settle(path, holder=holder)
    _tell_settled(path, settled)
    if args.action == "set":
        if not path.is_file():
            raise InvalidInputError(f"There is no journal at {path}.")
        if journal_files.is_encrypted(path):
            from careerdesk.errors import PassphraseError

            raise PassphraseError(f"{path.name} already has a passphrase.",
                                  hint="Use 'careerdesk passphrase change' to change it.")
        secret = new_passphrase(path)
        result = journal_files.set_passphrase(
            path, secret, with_recovery_key=args.with_recovery, holder=holder,
            backup_root=paths.backup_dir,
        )
        print(f"{path.name} is now encrypted; keep its key file {path.name}.key beside it.")
        if result.backups_encrypted:
            print(f"{result.backups_encrypted} older backups were encrypted too.")
        if result.backups_left_plain:
            print(f"careerdesk: {result.backups_left_plain} older backups could not be "
                  "encrypted (see the disk); they are still readable without the passphrase.",
                  file=sys.stderr)
        if result.recovery_key:
            _show_recovery_key(result.recovery_key)
        return 0
    if not journal_files.is_encrypted(path):
        from careerdesk.errors import PassphraseError

        if not path.is_file():
            raise InvalidInputError(f"There is no journal at {path}.")
        raise PassphraseError(f"{path.name} has no passphrase.")
    current = current_passphrase(path, settled)
    if args.action == "change":
        journal_files.change_passphrase(path, current, new_passphrase(path), holder=holder)
        print(f"The passphrase of {path.name} was changed.")
    elif args.action == "remove":
        journal_files.remove_passphrase(path, current, holder=holder)
        print(f"{path.name} is no longer encrypted.")
    else:
        _show_recovery_key(journal_files.new_recovery_key(path, current, holder=holder))
    return 0


def _show_recovery_key(recovery: str) -> None:
    print(
        "Recovery key (shown only this once; print it or keep it in a password manager; "
        "it opens the journal like the passphrase):"
    )
    print(f"    {recovery}")


def _cmd_export(args: argparse.Namespace, paths: AppPaths) -> int:
    out = args.out.expanduser().absolute()
    if args.kind == "plan" and out.suffix.lower() == ".careerplan":
        return _export_exchange(args, paths, out)
    if args.kind in ("progress", "calendar", "template"):
        return _export_exchange(args, paths, out)
    if args.audience and args.kind != "prep":
        raise InvalidInputError("--audience applies to the prep export only.")
    if args.template:
        raise InvalidInputError("--template applies to the template export only.")
    if not args.person:
        raise InvalidInputError(f"The {args.kind} export needs --person.")
    if args.kind == "prep" and args.audience:
        return _export_pre_read(args, paths, out)
    if args.kind in ("plan", "prep") and args.include_private:
        # Not an error: shared exports never hold private notes; say so rather than ignore.
        print(f"careerdesk: --include-private has no effect on a {args.kind} export: "
              "private notes are never shared.", file=sys.stderr)
    if args.kind != "book" and (args.date_from or args.date_to):
        raise InvalidInputError("--from and --to apply to the book export only.")
    if args.kind in ("prep", "book") and args.conversation:
        raise InvalidInputError("--conversation applies to the plan and record exports only.")
    if out.suffix.lower() != ".pdf":
        ends = ".pdf or .careerplan" if args.kind == "plan" else ".pdf"
        raise InvalidInputError(f"{out.name}: the file to write must end in {ends}.")
    with open_for_cli(args, paths, repair_index=False) as journal:
        services = services_for(journal)
        person = services.people.find(args.person)
        doc = services.exports.build(
            args.kind, person.id, conversation=args.conversation,
            include_private=args.include_private, date_from=args.date_from,
            date_to=args.date_to,
        )
    # The journal is closed (and unlocked) before the slow part: rendering needs only `doc`.
    services.exports.write(doc, out, paper=args.paper)
    from careerdesk.export.data import share_preview

    _shared, left_out = share_preview(doc)
    print(f"Wrote {out}")
    for line in left_out:
        print(f"  left out: {line}")
    return 0


def _refuse_options(args: argparse.Namespace, *, allowed: set[str]) -> None:
    """The PDF-only options make no sense for the files for the other side: say so."""
    given = {
        "--conversation": args.conversation, "--include-private": args.include_private,
        "--from": args.date_from, "--to": args.date_to, "--audience": args.audience,
        "--template": args.template, "--person": args.person,
        "--paper": args.paper != "a4",
    }
    for option, value in given.items():
        if value and option not in allowed:
            raise InvalidInputError(f"{option} does not apply to the {args.kind} export.")


def _export_exchange(args: argparse.Namespace, paths: AppPaths, out: Path) -> int:
    """``export plan --out X.careerplan``, ``export progress``, ``calendar``, ``template``."""
    from careerdesk.services.exchange import SUFFIX, ExchangeService, write_document

    kind = args.kind
    wanted = {"plan": (SUFFIX,), "progress": (SUFFIX,), "calendar": (".ics",),
              "template": (".json", ".toml")}[kind]
    if out.suffix.lower() not in wanted:
        raise InvalidInputError(f"{out.name}: the {kind} file must end in "
                                f"{' or '.join(wanted)}.")
    left_out: list[str] = []
    if kind == "plan":
        _refuse_options(args, allowed={"--person", "--conversation"})
        if not args.person:
            raise InvalidInputError("The plan export needs --person.")
        with open_for_cli(args, paths) as journal:
            services = services_for(journal)
            person = services.people.find(args.person)
            document, left_out = ExchangeService(services).plan_document(
                person.id, conversation=args.conversation)
        write_document(document, out)
    elif kind == "progress":
        _refuse_options(args, allowed=set())
        with open_for_cli(args, paths) as journal:
            document = ExchangeService(services_for(journal)).progress_document()
        write_document(document, out)
        left_out = ["private next steps and everything else in your journal: never sent"]
    elif kind == "calendar":
        _refuse_options(args, allowed={"--person"})
        _export_calendar(args, paths, out)
    else:
        _refuse_options(args, allowed={"--template"})
        _export_template(args, paths, out)
    print(f"Wrote {out}")
    for line in left_out:
        print(f"  left out: {line}")
    return 0


def _export_calendar(args: argparse.Namespace, paths: AppPaths, out: Path) -> None:
    from careerdesk.export.calendar import CalendarPerson, build_calendar
    from careerdesk.services.exchange import write_file

    with open_for_cli(args, paths) as journal:
        services = services_for(journal)
        people = ([services.people.find(args.person)] if args.person
                  else services.people.list())
        due = {s.person.id: s.person.next_conversation or s.next_due
               for s in services.people.summaries()}
        entries = [CalendarPerson(p, services.plan.actions_for(p.id, open_only=True),
                                  due.get(p.id)) for p in people]
    write_file(out, build_calendar(entries))


def _export_template(args: argparse.Namespace, paths: AppPaths, out: Path) -> None:
    from careerdesk.services.exchange import export_template_file

    with open_for_cli(args, paths) as journal:
        services = services_for(journal)
        template_id: str | None = None  # the default question list
        if args.template:
            chosen = [t for t in services.prompts.templates()
                      if t.name.casefold() == args.template.casefold()]
            if not chosen:
                raise InvalidInputError(f"There is no question template called "
                                        f"{args.template!r}.")
            template_id = chosen[0].id
        export_template_file(services, template_id, out)


def _export_pre_read(args: argparse.Namespace, paths: AppPaths, out: Path) -> int:
    from careerdesk.content import Audience

    if out.suffix.lower() != ".pdf":
        raise InvalidInputError(f"{out.name}: the file to write must end in .pdf.")
    _refuse_options(args, allowed={"--person", "--audience", "--paper"})
    from careerdesk.services.pre_read import build_pre_read

    with open_for_cli(args, paths) as journal:
        services = services_for(journal)
        person = services.people.find(args.person)
        doc = build_pre_read(services, person.id, audience=Audience(args.audience))
    from careerdesk.export.prep_form import render_pre_read

    render_pre_read(doc, out, paper=args.paper)
    print(f"Wrote {out} ({len(doc.questions)} questions to fill in)")
    return 0


def _cmd_import(args: argparse.Namespace, paths: AppPaths) -> int:
    from careerdesk.services.importing import NEEDS_EXISTING_JOURNAL, apply, read_incoming

    # The whole file is read and checked before any journal is opened or created.
    incoming = read_incoming(args.source.expanduser())
    path = journal_path(args, paths)
    if not path.exists() and incoming.kind in NEEDS_EXISTING_JOURNAL:
        raise InvalidInputError(f"There is no journal at {path} to import the "
                                f"{incoming.label} into.")
    if args.dry_run and not path.exists():
        report = _dry_run_on_new_journal(incoming, args, paths)
        print(f"{path} does not exist yet; it would be created.")
    else:
        with open_for_cli(args, paths, create=True) as journal:
            report = apply(services_for(journal), incoming, person=args.person,
                           dry_run=args.dry_run)
    for line in report.lines():
        print(line)
    return 0


def _dry_run_on_new_journal(incoming: Any, args: argparse.Namespace, paths: AppPaths) -> Any:
    """Preview an import into a journal that does not exist yet, against an empty one made in a
    private temporary folder (nothing is created where the user pointed)."""
    import tempfile

    from careerdesk.services.importing import apply
    from careerdesk.storage.journal import open_journal

    with (
        tempfile.TemporaryDirectory(prefix="careerdesk-preview-") as folder,
        open_journal(Path(folder) / "preview.careerdesk", create=True,
                     holder="careerdesk import --dry-run") as journal,
    ):
        return apply(services_for(journal), incoming, person=args.person, dry_run=True)


def _cmd_search(args: argparse.Namespace, paths: AppPaths) -> int:
    import json

    if args.limit < 1:
        raise InvalidInputError("--limit must be at least 1.")
    if args.since and args.until and args.since > args.until:
        raise InvalidInputError("--from must not be after --to.")
    unknown = sorted(set(args.kind or ()) - set(SEARCH_KINDS))
    if unknown:
        raise InvalidInputError(
            f"Unknown kind {unknown[0]!r}; use one of: {', '.join(SEARCH_KINDS)}."
        )
    with open_for_cli(args, paths, repair_index=False) as journal:
        _refuse_damaged_index(journal)
        services = services_for(journal)
        person = services.people.find(args.person) if args.person else None
        hits = services.search.search(
            args.query, person_id=None if person is None else person.id, kinds=args.kind,
            tag=args.tag, since=args.since, until=args.until,
            include_private=not args.no_private, limit=args.limit, rebuild=False,
        )
    if args.json:
        document = [
            {
                "kind": h.kind, "record_id": h.record_id, "person_id": h.person_id,
                "person": h.person_name, "conversation_id": h.conversation_id,
                "date": None if h.date is None else h.date.isoformat(), "private": h.private,
                "title": h.title.text, "title_spans": [list(s) for s in h.title.spans],
                "snippet": h.snippet.text, "snippet_spans": [list(s) for s in h.snippet.spans],
                "tags": list(h.tags), "score": h.score,
            }
            for h in hits
        ]
        print(json.dumps(document, ensure_ascii=False, indent=2))
        return 0
    if not hits:
        print("No matches.")
        return 0
    for hit in hits:
        date = hit.date.isoformat() if hit.date else "          "
        private = "  (private)" if hit.private else ""
        print(f"{date}  {hit.kind_label:<14} {_terminal_text(hit.person_name).strip()}{private}")
        for part in (hit.title, hit.snippet):
            if part.text.strip():
                print("    " + _marked_for_terminal(part))
    print(f"{len(hits)} match{'es' if len(hits) != 1 else ''}.")
    return 0


def _terminal_text(text: str) -> str:
    """User text made safe for a terminal: no escape sequences or line breaks."""
    return _squeeze("".join(c if c.isprintable() else " " for c in text))


def _squeeze(text: str) -> str:
    while "  " in text:
        text = text.replace("  ", " ")
    return text


def _marked_for_terminal(text: Highlighted) -> str:
    pieces = [
        f"[{_terminal_text(piece)}]" if matched else _terminal_text(piece)
        for piece, matched in text.parts()
    ]
    return _squeeze("".join(pieces)).strip()


def _cmd_check(args: argparse.Namespace, paths: AppPaths) -> int:
    """The gate (read-only), then SQLite's full ``integrity_check`` and every row read through
    the application's column types. The file is never written; one line says what was found,
    ``--verbose`` lists it all (on stdout; stderr keeps its one line)."""
    from careerdesk.storage import gate, search_index

    name = journal_path(args, paths).name
    unreadable: list[str] = []
    index: list[str] = []
    try:
        with open_for_cli(args, paths, read_only=True) as journal:
            problems = journal.integrity_problems()
            if not problems:
                raw = journal.engine.raw_connection()
                try:
                    unreadable = gate.rows_report(raw.driver_connection)
                finally:
                    raw.close()
                index = search_index.problems(journal.engine)
    except gate.DamageFoundError as exc:
        return _check_failed(str(exc), exc.details, verbose=args.verbose)
    if problems:
        problems = [line for row in problems for line in row.splitlines() if line]
        return _check_failed(
            f"{name} is damaged: SQLite's integrity check failed. Restore a backup "
            "(careerdesk check --verbose lists what was found).", problems, verbose=args.verbose,
        )
    if unreadable:
        return _check_failed(
            f"{name} holds records CareerDesk cannot read "
            f"({unreadable[0]}). Restore a backup (careerdesk check --verbose lists them).",
            unreadable, verbose=args.verbose,
        )
    if index:
        # Reported, not rebuilt: check only reads (issue 22).
        return _check_failed(
            _index_message(journal_path(args, paths), index), index, verbose=args.verbose,
        )
    print(f"{name}: no problems found.")
    return 0


#: The shell's status for a command ended by SIGPIPE (128 + 13), as ``yes | head`` reports.
EXIT_CLOSED_PIPE = 141


def _reader_went_away() -> int:
    """``careerdesk search ... | head``: the reader closed the pipe. End quietly.

    The way the Python documentation gives (signal module, "Note on SIGPIPE"): point stdout at
    devnull so the interpreter's own flush at exit does not raise again and print a traceback.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return EXIT_CLOSED_PIPE


def _check_failed(message: str, details: Sequence[str], *, verbose: bool) -> int:
    from careerdesk.storage.gate import one_line

    # SQLite's report names pages, tables and columns, never a row's text: safe for the log.
    log.info("check found %d problem(s):\n%s", len(details),
             "\n".join(one_line(line, 300) for line in details[:200]))
    if verbose:
        for line in details:
            print(_terminal_text(line))
    print(f"careerdesk: {one_line(message, 400)}", file=sys.stderr)
    return EXIT_USER_ERROR


def _index_message(path: Path, problems: list[str]) -> str:
    return (
        f"the search index of {path.name} is damaged or missing ({problems[0]}); its records "
        f"are fine. Run careerdesk repair --file {path} to rebuild it (a backup is taken first)."
    )


def _refuse_damaged_index(journal: Journal) -> None:
    from careerdesk.errors import JournalFileError
    from careerdesk.storage import search_index

    problems = search_index.problems(journal.engine)
    if problems:
        raise JournalFileError(f"Cannot search: {_index_message(journal.path, problems)}")


def _cmd_repair(args: argparse.Namespace, paths: AppPaths) -> int:
    from careerdesk.errors import DamagedJournalError
    from careerdesk.storage.backup import backup_folder_for
    from careerdesk.storage.journal import rebuild_search_index

    with open_for_cli(args, paths, repair_index=False) as journal:
        if journal.read_only:
            from careerdesk.errors import ReadOnlyJournalError

            raise ReadOnlyJournalError(
                f"{journal.path.name} is open read-only here (read-only media, or a full disk): "
                "its search index cannot be rebuilt; nothing was changed.",
                hint="Copy it to a folder you can write to, and repair the copy.",
            )
        problems = journal.integrity_problems()
        if problems:
            raise DamagedJournalError(
                f"{journal.path.name} is damaged beyond its search index, which repair cannot "
                "mend; it was left untouched.",
                hint="Restore a backup (careerdesk backup --list, then careerdesk restore).",
            )
        found, backup = rebuild_search_index(
            journal.path, journal.engine, key=journal.key,
            backup_dir=backup_folder_for(journal.path, paths.backup_dir),
        )
    if not found:
        print(f"{journal.path.name}: the search index is fine; nothing was changed.")
        return 0
    print(f"Backed up {journal.path.name} to {backup}.")
    print(f"Rebuilt the search index of {journal.path.name} (it was damaged or missing: "
          f"{found[0]}).")
    return 0


def _report_close_problems() -> None:
    """What a journal's close could not do (fold its WAL in on a full disk): said, never lost."""
    while _opened:
        problem = _opened.pop().close_problem
        if problem is not None:
            print(f"careerdesk: {problem}", file=sys.stderr)


def _for_terminal(exc: CareerDeskError) -> str:
    """The message for a command: the window's "your text is kept and saving will try again"
    means nothing here."""
    from careerdesk.errors import StorageError

    if isinstance(exc, StorageError) and "saving will try again" in exc.hint:
        return f"{exc.user_message} Nothing of this command was saved; what was saved before " \
               "is safe. Free some space (or check the disk), then run it again."
    return str(exc)


def run(argv: Sequence[str] | None = None, *, paths: AppPaths | None = None) -> int:
    """Run one command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    from careerdesk.export.files import remove_leftovers
    from careerdesk.hardening import forbid_memory_access, protect_process

    protect_process()
    forbid_memory_access()
    paths = paths or app_paths()
    remove_leftovers()  # a killed export's or dump's temporary file, before anything else
    tighten_app_folders(paths)
    setup_logging(paths.log_file)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:  # the GUI: handled by app.main
        raise RuntimeError("run() is for subcommands")
    try:
        try:
            status = handler(args, paths)
            sys.stdout.flush()  # a closed pipe shows here, not at exit where it cannot be caught
            return status
        finally:
            _report_close_problems()
    except BrokenPipeError:
        return _reader_went_away()
    except CareerDeskError as exc:
        print(f"careerdesk: {_for_terminal(exc)}", file=sys.stderr)
        # The log gets where it happened, never the message (it may quote a name or a note).
        log.info("command %s refused\n%s", args.command, safe_traceback(exc))
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("careerdesk: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        log_unexpected(exc, where=f"command {args.command}")
        print(
            f"careerdesk: unexpected error ({type(exc).__name__}); "
            f"details are in {paths.log_file}",
            file=sys.stderr,
        )
        return EXIT_UNEXPECTED
