"""The command line: ``python -m bot run | ask | chat | check | bench``.

Only ``run`` imports discord.py; the terminal commands load the core alone, so the first answer
comes fast.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bot.core.answers import Answer, AnswerEngine
from bot.core.conversation import Conversation
from bot.core.engine_cache import load_engine
from bot.core.errors import QAError
from bot.core.knowledge import ARTICLE_FILE, KNOWLEDGE_FILE, KnowledgeBase
from bot.core.render import as_text
from bot.core.vocabulary import VOCABULARY_FILE
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.core.service import KnowledgeService
    from bot.core.store import Store

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
EXIT_CODES = """\
exit codes:
  run, sync     0 stopped cleanly; 1 Discord unreachable (a restart may help);
                2 configuration: a bad setting, token, intent, knowledge base or DATA_DIR
  doctor        0 every check passed; 1 a check failed (each says how to fix it)
  check         0 the knowledge base is valid; 1 it has problems (or warnings, with --strict)
  suggestions   0 done; 2 a bad setting or no suggestion named
  report        0 written; 2 a bad setting or a file that cannot be written
  import        0 imported (or nothing to change); 1 the file is invalid (nothing changed);
                2 a bad setting or a file that cannot be read
  export        0 written; 2 a bad setting or a file that cannot be written
  ask, chat, bench
                0 done; 2 a bad setting
  usage errors  2 (argparse)
"""
QUIT_WORDS = frozenset({"quit", "exit", "q", ":q", "bye"})


def _engine(settings: Settings) -> AnswerEngine:
    """The engine over the knowledge base the bot answers from: the database's when
    ``DATABASE_URL`` is set, else ``qa.yaml`` (through the engine cache in ``DATA_DIR``: the
    fast start of ``ask``)."""
    if settings.database_url:
        with _knowledge(settings) as (service, _store):
            return service.engine
    return load_engine(settings.knowledge_dir, settings.data_dir)


@contextmanager
def _knowledge(settings: Settings) -> Iterator[tuple[KnowledgeService, Store]]:
    """The knowledge service and store the settings name, closed after use."""
    from bot.resources import open_service, open_store  # noqa: PLC0415 - not for `ask`

    store = open_store(settings)
    try:
        service = open_service(settings, store)
        try:
            yield service, store
        finally:
            service.close()
    finally:
        store.close()


def _write_json(answer: Answer, out: TextIO) -> None:
    utf8 = (getattr(out, "encoding", None) or "").lower().replace("-", "") == "utf8"
    out.write(json.dumps(answer.to_json(), ensure_ascii=not utf8) + "\n")
    out.flush()


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    engine = _engine(settings)
    conversation = Conversation(engine) if args.conversation else None

    def reply(question: str) -> None:
        answer = conversation.ask(question) if conversation else engine.answer(question)
        if args.json:
            _write_json(answer, sys.stdout)
        else:
            print(as_text(answer, engine.kb.article) + "\n", flush=True)

    if args.question == ["-"]:
        sys.stdin.reconfigure(errors="replace")  # type: ignore[union-attr] - bytes that are not UTF-8
        for line in sys.stdin:
            reply(line.rstrip("\r\n"))
        return EXIT_OK
    reply(" ".join(args.question))
    return EXIT_OK


def _line_editing() -> None:
    """Arrow keys, Ctrl-R and the history of this session's questions in ``chat``, where the
    standard library has ``readline`` (importing it is enough for ``input()`` to use it)."""
    try:
        import readline  # noqa: F401, PLC0415 - not on every platform
    except ImportError:
        return


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    _line_editing()
    engine = _engine(settings)
    article = engine.kb.article
    conversation = Conversation(engine)
    print(f"Ask me about “{article.headline}” ({article.date}).")
    print("Type a question; a number picks a suggestion or a related question; "
          "'quit' or Ctrl-D ends.")
    choices: list[str] = []
    while True:
        try:
            line = input("\nyou> ").strip()
        except (EOFError, KeyboardInterrupt):
            print("\nbye")
            return EXIT_OK
        if line.lower() in QUIT_WORDS:
            print("bye")
            return EXIT_OK
        if line.isdigit() and 1 <= int(line) <= len(choices):
            answer = engine.answer_entry(engine.kb.by_id[choices[int(line) - 1]])
            conversation.remember(answer)
        else:
            answer = conversation.ask(line)
        choices = [s.entry_id for s in (*answer.suggestions, *answer.related)]
        print(as_text(answer, article))


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    # Read here, not at the top: `ask` loads a built engine and needs no YAML parser.
    from bot.core.kb_reading import load_knowledge_base  # noqa: PLC0415
    from bot.core.validation import uncited_sentences, vocabulary_warnings  # noqa: PLC0415

    try:
        kb: KnowledgeBase = load_knowledge_base(settings.knowledge_dir)
    except QAError as exc:
        print(exc, file=sys.stdout)
        return EXIT_PROBLEMS
    warnings = [f"{settings.knowledge_dir / VOCABULARY_FILE}:{p.line}: {p.message}"
                for p in vocabulary_warnings(kb)]
    article_path = settings.knowledge_dir / ARTICLE_FILE
    uncited = uncited_sentences(kb)
    for number, sentence in uncited:
        line = kb.article.paragraph(number).line
        warnings.append(f"{article_path}:{line}: warning: paragraph {number}: sentence not cited "
                        f"by any entry: {sentence[:70]!r}")
    for warning in warnings:
        print(warning)
    phrasings = sum(len(e.phrasings) for e in kb.entries)
    coverage = f"{len(uncited)} article sentence(s) uncited" if uncited else (
        "every article sentence cited")
    print(f"{settings.knowledge_dir / KNOWLEDGE_FILE}: OK, {len(kb.entries)} entries, "
          f"{phrasings} phrasings; {coverage}")
    return EXIT_PROBLEMS if warnings and args.strict else EXIT_OK


def cmd_suggestions(args: argparse.Namespace, settings: Settings) -> int:
    """List the phrasings people's questions suggest (``DATA_DIR``), or accept / reject them
    into ``qa.yaml`` (validated, atomic, recorded, as from Discord)."""
    from bot.core import suggestions  # noqa: PLC0415 - only this command needs them
    from bot.core.service import Editor  # noqa: PLC0415

    with _knowledge(settings) as (service, store):
        proposals = suggestions.pending(service.kb, store.signals())
        if args.action is None:
            for proposal in proposals:
                if args.json:
                    print(json.dumps(proposal.to_json(), ensure_ascii=False), flush=True)
                else:
                    owner = f"  (already asks {proposal.owner})" if proposal.owner else ""
                    print(f"{proposal.id}  {proposal.entry_id}  ×{proposal.count}{owner}")
                    for phrasing in proposal.phrasings:
                        print(f"    {phrasing}")
            if not proposals and not args.json:
                print("No suggestions waiting.")
            return EXIT_OK
        if not args.ids:
            print(f"error: name the suggestions to {args.action} (their ids, as listed)",
                  file=sys.stderr)
            return EXIT_USAGE
        picked = suggestions.chosen(proposals, args.ids)
        editor = Editor(f"command line ({getpass.getuser()})")
        if args.action == "reject":
            suggestions.reject(store, picked, editor)
            print(f"Rejected {len(picked)} suggestion(s): they will not be suggested again.")
            return EXIT_OK
        outcome = suggestions.accept(service, store, picked, editor)
        for entry_id, phrasing in outcome.added:
            print(f"added to {entry_id}: {phrasing}")
        for entry_id, phrasing, why in outcome.refused:
            print(f"not added to {entry_id}: {phrasing} ({why})")
        return EXIT_OK


def cmd_report(args: argparse.Namespace, settings: Settings) -> int:
    """Write the report page (``bot.report``) from the knowledge base and ``DATA_DIR``."""
    from datetime import UTC, datetime  # noqa: PLC0415 - only this command needs them

    from bot import report  # noqa: PLC0415
    from bot.core.database import DATABASE_ERRORS  # noqa: PLC0415

    now = datetime.now(UTC).replace(microsecond=0)
    out = args.out or Path("report.html")
    scope = f"server {args.guild}" if args.guild else "all servers"
    try:
        with _knowledge(settings) as (service, store):
            page = report.build(store, service.kb, report.ReportOptions(
                days=args.days, include_rare=args.include_rare, guild_id=args.guild,
                scope=scope), now)
    except (OSError, *DATABASE_ERRORS) as error:
        print(f"error: the question log cannot be read: {error}", file=sys.stderr)
        return EXIT_USAGE
    try:
        out.write_text(page, encoding="utf-8")
    except OSError as error:
        print(f"error: cannot write {out}: {error.strerror}", file=sys.stderr)
        return EXIT_USAGE
    print(f"Report written to {out.resolve()} ({len(page.encode()):,} bytes; the last "
          f"{args.days} days, {scope}).")
    return EXIT_OK


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    """Load a qa.yaml file into the knowledge base the bot answers from (the database's, or
    KNOWLEDGE_DIR's): validated as ``check`` does, all or nothing, recorded in the history."""
    from bot.core.errors import KnowledgeError  # noqa: PLC0415
    from bot.core.service import Editor  # noqa: PLC0415

    try:
        text = args.file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        print(f"error: cannot read {args.file}: {error}", file=sys.stderr)
        return EXIT_USAGE
    with _knowledge(settings) as (service, _store):
        try:
            plan = service.preview_import(text)
        except KnowledgeError as error:
            print(str(error).replace("the imported file", str(args.file)))
            print(f"{args.file}: not imported, nothing was changed.")
            return EXIT_PROBLEMS
        if plan.empty:
            print(f"{args.file}: nothing to import, {service.source.label} holds the same "
                  "entries.")
            return EXIT_OK
        service.apply_import(plan, Editor(f"command line ({getpass.getuser()})"))
        print(f"{args.file}: imported into {service.source.label}: {len(plan.added)} added, "
              f"{len(plan.changed)} changed, {len(plan.removed)} removed (recorded in the "
              "history).")
    return EXIT_OK


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    """Write the knowledge base the bot answers from as qa.yaml (for git, or to edit)."""
    with _knowledge(settings) as (service, _store):
        text = service.export_text()
    if args.out is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        args.out.write_text(text, encoding="utf-8")
    except OSError as error:
        print(f"error: cannot write {args.out}: {error.strerror}", file=sys.stderr)
        return EXIT_USAGE
    print(f"Wrote {args.out} ({len(text.encode()):,} bytes).")
    return EXIT_OK


def _positive(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return int(text)


def cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    from bot.bench import run_bench  # noqa: PLC0415 - heavy, only for this command

    return run_bench(settings, quick=args.quick, as_json=args.json)


def cmd_train_confidence(args: argparse.Namespace, settings: Settings) -> int:
    from bot.core.answers import CONFIDENCE_FILE  # noqa: PLC0415
    from bot.core.kb_reading import load_knowledge_base  # noqa: PLC0415
    from bot.quality import HELD_OUT, tuned_on  # noqa: PLC0415 - only for this command
    from bot.training import train  # noqa: PLC0415

    sets = tuned_on()
    if not sets:
        raise QAError("no question sets here to train on (they live in tests/data/ of a "
                      "source checkout; run this from its top folder)")
    engine = AnswerEngine.build(load_knowledge_base(settings.knowledge_dir))
    out = args.out or CONFIDENCE_FILE
    model, data = train(engine, sets, out)
    print(f"Trained on {len(data.rows)} decisions ({sum(data.labels)} right to answer) from "
          f"{len(sets)} question sets, {HELD_OUT} left out: {len(model.trees)} trees "
          f"written to {out}")
    return EXIT_OK


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.runner import run_bot  # noqa: PLC0415 - imports discord.py

    return run_bot(settings)


def cmd_sync(args: argparse.Namespace, settings: Settings) -> int:
    from bot.runner import sync_commands  # noqa: PLC0415 - imports discord.py

    return sync_commands(settings)


def cmd_doctor(args: argparse.Namespace, load_settings: Callable[[], Settings]) -> int:
    """Loads the settings itself, so that a bad one is a ✗ line with its fix like the rest."""
    from bot.doctor import run_doctor  # noqa: PLC0415 - imports discord.py

    return run_doctor(load_settings)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Answers questions about one news article, citing its words.",
        epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, handler: Callable[..., int], help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    add("run", cmd_run, "connect to Discord (needs DISCORD_TOKEN)")
    add("sync", cmd_sync, "sync the slash commands now, even if unchanged since the last sync")
    doctor = add("doctor", cmd_doctor, "diagnose the setup: settings, knowledge base, DATA_DIR, "
                 "token, intent, servers and channel permissions (one line each, with a fix "
                 "for each failure)")
    doctor.set_defaults(loads_settings=True)
    ask = add("ask", cmd_ask, "answer a question in the terminal")
    ask.add_argument("question", nargs="+", help="the question, or - to read one per line")
    ask.add_argument("--json", action="store_true", help="print JSON (JSON Lines with -)")
    ask.add_argument("--conversation", action="store_true",
                     help="read the questions as one person's conversation, so a question may "
                          "follow up the one before ('and when did he die?')")
    add("chat", cmd_chat, "an interactive question-and-answer session")
    check = add("check", cmd_check, "validate the knowledge base against the article")
    check.add_argument("--strict", action="store_true",
                       help="also fail on warnings (an uncited sentence, a risky synonym)")
    suggested = add("suggestions", cmd_suggestions,
                    "phrasings suggested by what people asked: list, accept or reject them")
    suggested.add_argument("action", nargs="?", choices=("accept", "reject"),
                           help="accept (add to qa.yaml) or reject the suggestions named")
    suggested.add_argument("ids", nargs="*", help="suggestion ids, as listed")
    suggested.add_argument("--json", action="store_true", help="one JSON object per line")
    reported = add("report", cmd_report, "write one HTML page: the article coloured by what "
                   "people ask, questions per day, the most and never asked entries, what to fix")
    reported.add_argument("--out", type=Path, metavar="FILE",
                          help="where to write it (default: report.html here)")
    reported.add_argument("--days", type=_positive, default=30, metavar="N",
                          help="the questions of the last N days, UTC (default 30)")
    reported.add_argument("--guild", type=_positive, metavar="ID",
                          help="one server's questions only (default: every server's)")
    reported.add_argument("--include-rare", action="store_true",
                          help="also show questions and suggestions made only once")
    imported = add("import", cmd_import, "load a qa.yaml file into the knowledge base the bot "
                   "answers from (validated, all or nothing, recorded)")
    imported.add_argument("file", type=Path, help="the qa.yaml file to load")
    exported = add("export", cmd_export, "write the knowledge base the bot answers from as "
                   "qa.yaml")
    exported.add_argument("--out", type=Path, help="the file to write (default: stdout)")
    bench = add("bench", cmd_bench, "measure matching speed, memory and answer quality")
    bench.add_argument("--quick", action="store_true", help="fewer repetitions")
    bench.add_argument("--json", action="store_true",
                       help="print every figure and target as one JSON object")
    trained = add("train-confidence", cmd_train_confidence, "retrain the confidence model on "
                  "the question sets in tests/data/ (all but the newest held-out set)")
    trained.add_argument("--out", type=Path, help="the file to write (default: the model the "
                         "bot ships, bot/core/confidence.json)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:  # `python -m bot` alone: what it can do
        parser.print_help()
        return EXIT_OK
    try:
        if getattr(args, "loads_settings", False):
            return args.handler(args, Settings.load)
        return args.handler(args, Settings.load())
    except QAError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # `python -m bot ask … | head`
        sys.stderr.close()
        return EXIT_OK
