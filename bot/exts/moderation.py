"""``/kb``: moderators fix and grow the knowledge base from Discord.

Every change is validated like ``python -m bot check``, saved atomically, recorded with who and
when, reversible with ``/kb revert``, refused when made from an older revision, and posted to
the moderator log channel. The cog turns interactions into ``KnowledgeService`` calls (run off
the event loop) and results into private replies; it holds no knowledge logic itself.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TypeVar

import discord
from discord import app_commands
from discord.ext import commands

from bot.checks import default_permissions, is_moderator, require_editor, require_moderator
from bot.client import QABot
from bot.core.answers import SUGGEST_AT
from bot.core.errors import KnowledgeError, QAError
from bot.core.knowledge import KNOWLEDGE_FILE, MAX_PHRASING_CHARS
from bot.core.safeyaml import MAX_YAML_BYTES
from bot.core.service import Editor, KnowledgeService
from bot.core.suggestions import Proposal, accept, doubts, pending, reject, unanswered_groups
from bot.report import ReportOptions
from bot.report import build as build_report
from bot.report import filename as report_filename
from bot.ui.embeds import answer_embed, entry_embed, notice_embed, truncate
from bot.ui.modals import EntryForm, EntryModal, FormHandler
from bot.ui.moderation import ConfirmView, ReopenView, SuggestionsView, UnansweredView
from bot.ui.replies import NOBODY, send_private

log = logging.getLogger(__name__)
T = TypeVar("T")

CHOICES_LIMIT = 25
SUGGESTIONS_PAGE = 25
MAX_ATTACHMENT_BYTES = 10 * 2**20  # Discord takes files up to this size from any bot


def editor_of(interaction: discord.Interaction) -> Editor:
    return Editor(interaction.user.name, interaction.user.id)


async def defer_privately(interaction: discord.Interaction) -> None:
    """Acknowledge now ("thinking…", only the moderator sees it); the reply follows."""
    if not interaction.response.is_done():
        await interaction.response.defer(ephemeral=True, thinking=True)


def describe(error: QAError) -> str:
    """A refusal in words for the moderator (validation problems without file lines)."""
    if isinstance(error, KnowledgeError):
        return "Not saved:\n" + "\n".join(f"• {p.message}" for p in error.problems[:10])
    return str(error)


class Moderation(commands.GroupCog, group_name="kb",
                 group_description="Moderators: keep the knowledge base right"):
    """The /kb commands. The cog check runs for every subcommand."""

    def __init__(self, bot: QABot) -> None:
        self.bot = bot
        self.app_command.guild_only = True
        self.app_command.allowed_contexts = app_commands.AppCommandContext(guild=True)
        self.app_command.default_permissions = default_permissions(bot.settings)
        super().__init__()

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        require_moderator(interaction, self.bot.settings)
        return True

    @property
    def service(self) -> KnowledgeService:
        return self.bot.service

    async def _read(self, interaction: discord.Interaction, call: Callable[..., T],
                    *args: object) -> T:
        """Read the database or files off the event loop, after answering "thinking…"."""
        await defer_privately(interaction)
        return await asyncio.to_thread(call, *args)

    async def _change(self, interaction: discord.Interaction, call: Callable[..., T],
                      *args: object) -> T | None:
        """Apply a change; a refusal is told to the moderator privately (and None returned).

        Only from a server allowed to edit. The interaction is deferred first: changes wait
        for one another on the saving thread, and Discord wants a first response within 3
        seconds.
        """
        require_editor(interaction, self.bot.settings)
        await defer_privately(interaction)
        try:
            return await self.bot.edit(call, *args)
        except QAError as error:
            await send_private(interaction, describe(error), error=True)
            return None

    async def _announce(self, interaction: discord.Interaction, summary: str) -> None:
        """Log a change and post it to the moderator log channel."""
        log.info("kb: %s %s (%d)", summary, interaction.user.name, interaction.user.id)
        await self.bot.notify_moderators(f"📝 {interaction.user.mention} {summary}")

    # --- entry autocomplete --------------------------------------------------------------

    async def entry_autocomplete(self, interaction: discord.Interaction, current: str
                                 ) -> list[app_commands.Choice[str]]:
        """Entries matching what is typed (by id or question), for moderators only (the cog
        check does not run for autocomplete). Values are ids, re-checked by the command."""
        if not is_moderator(interaction.user, self.bot.settings):
            return []
        engine = self.service.engine  # one snapshot: an edit may swap the engine meanwhile
        kb = engine.kb
        typed = current.strip().casefold()
        by_id = [e.id for e in kb.entries if typed and e.id.startswith(typed)]
        fuzzy = [c.key for c in engine.candidates(current[:500], CHOICES_LIMIT)] if typed else []
        ids = list(dict.fromkeys(by_id + fuzzy + [e.id for e in kb.entries]))[:CHOICES_LIMIT]
        return [app_commands.Choice(name=truncate(f"{kb.by_id[i].question} ({i})", 100),
                                    value=i) for i in ids]

    async def phrase_autocomplete(self, interaction: discord.Interaction, current: str
                                  ) -> list[app_commands.Choice[str]]:
        """This server's unanswered questions, as phrasings to attach: moderators only."""
        if not is_moderator(interaction.user, self.bot.settings):
            return []
        questions = await asyncio.to_thread(self.bot.store.unanswered, interaction.guild_id,
                                            CHOICES_LIMIT)
        typed = current.casefold()
        return [app_commands.Choice(name=truncate(q.question, 100),
                                    value=truncate(q.question, 100))
                for q in questions if typed in q.question.casefold()][:CHOICES_LIMIT]

    # --- add and edit --------------------------------------------------------------------

    def _form_handler(self, entry_id: str | None, revision: int | None) -> FormHandler:
        """What happens when an entry form is submitted (add when ``entry_id`` is None)."""
        async def handle(interaction: discord.Interaction, form: EntryForm) -> None:
            require_editor(interaction, self.bot.settings)
            await defer_privately(interaction)
            try:
                draft = form.draft()
                if entry_id is None:
                    entry = await self.bot.edit(self.service.add, draft, editor_of(interaction))
                    done = "added"
                else:
                    entry = await self.bot.edit(self.service.edit, entry_id, draft, revision,
                                                editor_of(interaction))
                    done = "edited"
            except QAError as error:
                current = self.service.kb.get(entry_id) if entry_id else None
                title = "Add an entry" if entry_id is None else f"Edit {entry_id}"
                retry = self._form_handler(entry_id, current.revision if current else revision)
                await send_private(
                    interaction, describe(error) + "\n\nYour text is kept: press the button to "
                    "reopen the form with it.", error=True,
                    view=ReopenView(interaction.user.id, title, form, retry))
                return
            await send_private(interaction, embed=entry_embed(
                entry, self.service.article, f"{done.capitalize()}: {entry.id}, revision "
                f"{entry.revision}. It answers from now on."))
            await self._announce(interaction, f"{done} `{entry.id}` (revision "
                                              f"{entry.revision})")
        return handle

    @app_commands.command(name="add", description="Add a question and its cited answer")
    async def add(self, interaction: discord.Interaction) -> None:
        require_editor(interaction, self.bot.settings)
        await interaction.response.send_modal(
            EntryModal("Add an entry", EntryForm(), self._form_handler(None, None)))

    @app_commands.command(name="edit", description="Edit an entry in a pre-filled form")
    @app_commands.describe(entry="The entry to edit")
    @app_commands.autocomplete(entry=entry_autocomplete)
    async def edit(self, interaction: discord.Interaction, entry: str) -> None:
        require_editor(interaction, self.bot.settings)
        current = self.service.entry(entry)
        await interaction.response.send_modal(EntryModal(
            f"Edit {current.id}", EntryForm.from_entry(current),
            self._form_handler(current.id, current.revision)))

    @app_commands.command(name="alias", description="Add another way of asking an entry")
    @app_commands.describe(entry="The entry", phrase="How people ask it")
    @app_commands.autocomplete(entry=entry_autocomplete, phrase=phrase_autocomplete)
    async def alias(self, interaction: discord.Interaction, entry: str,
                    phrase: app_commands.Range[str, 1, MAX_PHRASING_CHARS]) -> None:
        await self._attach(interaction, entry, phrase)

    async def _attach(self, interaction: discord.Interaction, entry_id: str, phrase: str
                      ) -> None:
        entry = await self._change(interaction, self.service.add_alternate, entry_id, phrase,
                                   editor_of(interaction))
        if entry is None:
            return
        await send_private(interaction, f"“{phrase}” now asks **{entry.question}** "
                                        f"(`{entry.id}`, revision {entry.revision}).")
        await self._announce(interaction, f"added “{truncate(phrase, 200)}” to `{entry.id}`")

    async def _attach_group(self, interaction: discord.Interaction, entry_id: str,
                            phrases: Sequence[str]) -> None:
        """Attach unanswered questions asked alike to one entry, in one change."""
        if len(phrases) == 1:
            await self._attach(interaction, entry_id, phrases[0])
            return
        done = await self._change(interaction, self.service.add_alternates,
                                  {entry_id: list(phrases)}, editor_of(interaction), "alias")
        if done is None:
            return
        added, refused = done
        await send_private(interaction, _report(added, refused))
        if added:
            await self._announce(interaction, f"added {len(added)} phrasing(s) to `{entry_id}`")

    # --- remove, history, revert --------------------------------------------------------

    @app_commands.command(name="remove", description="Remove an entry (asks to confirm)")
    @app_commands.describe(entry="The entry to remove")
    @app_commands.autocomplete(entry=entry_autocomplete)
    async def remove(self, interaction: discord.Interaction, entry: str) -> None:
        require_editor(interaction, self.bot.settings)
        current = self.service.entry(entry)

        async def confirmed(button: discord.Interaction) -> None:
            removed = await self._change(button, self.service.remove, current.id,
                                         current.revision, editor_of(button))
            if removed is None:
                return
            await send_private(button, f"Removed `{current.id}`. `/kb history entry:"
                                       f"{current.id}` shows the removal's number; `/kb revert` "
                                       "with it brings the entry back.")
            await self._announce(button, f"removed `{current.id}`")

        await send_private(
            interaction, embed=entry_embed(current, self.service.article,
                                           f"Remove {current.id}? This asks before it acts."),
            view=ConfirmView(interaction.user.id, confirmed, "Remove"))

    @app_commands.command(name="history", description="Who changed an entry, what and when")
    @app_commands.describe(entry="The entry (removed entries too)")
    @app_commands.autocomplete(entry=entry_autocomplete)
    async def history(self, interaction: discord.Interaction, entry: str) -> None:
        records = await self._read(interaction, self.service.history, entry, 20)
        if not records:
            current = self.service.kb.get(entry)
            text = (f"`{entry}` has no recorded changes (revision {current.revision}, as in the "
                    "file)." if current else f"There is no entry or history for `{entry}`.")
            await send_private(interaction, text)
            return
        lines = []
        for record in records:
            fields = _changed_fields(record.before, record.after)
            lines.append(f"**#{record.id}** · rev {record.revision} · {record.action} · "
                         f"{record.changed_by} · {record.changed_at}"
                         + (f"\n  changed: {fields}" if fields else ""))
        embed = notice_embed("\n".join(lines))
        embed.title = f"History of {entry}"
        embed.set_footer(text="/kb revert entry change:<#id> undoes that change and those "
                              "after it")
        await send_private(interaction, embed=embed)

    @app_commands.command(name="revert", description="Undo a change to an entry")
    @app_commands.describe(entry="The entry",
                           change="The change's number in /kb history (#id): the entry comes "
                                  "back as it was before it")
    @app_commands.autocomplete(entry=entry_autocomplete)
    async def revert(self, interaction: discord.Interaction, entry: str,
                     change: app_commands.Range[int, 1, 2**62]) -> None:
        restored = await self._change(interaction, self.service.revert, entry, change,
                                      editor_of(interaction))
        if restored is None:
            return
        await send_private(interaction, embed=entry_embed(
            restored, self.service.article, f"Reverted {entry} to how it was before change "
            f"#{change} (saved as revision {restored.revision})."))
        await self._announce(interaction, f"reverted `{entry}` to before change #{change}")

    # --- review ------------------------------------------------------------------------

    @app_commands.command(name="test", description="Privately: how a question would match")
    @app_commands.describe(question="The question to try")
    async def test(self, interaction: discord.Interaction,
                   question: app_commands.Range[str, 1, 500]) -> None:
        engine = self.service.engine
        candidates = engine.candidates(question, 5)
        lines = [f"`{c.score:5.1f}` **{c.key}**: {truncate(c.phrasing, 80)}" for c in candidates]
        chance = engine.chance(question, candidates)
        if chance is not None:
            lines.append(f"Confidence model: {chance:.0%} that **{candidates[0].key}** is the "
                         "one asked about.")
        embed = notice_embed("\n".join(lines) or "No entry shares a word with it.")
        embed.title = truncate(f"Top matches for “{question}”", 256)
        limits = engine.thresholds
        embed.set_footer(text=f"Answers at {limits.answer_at:.0f}+, or {limits.close_at:.0f}+ "
                              f"when {limits.margin:.0f} ahead of the next, or "
                              f"{limits.agreed_at:.0f}+ ({limits.agreed_long_at:.0f}+ in a "
                              f"message of {limits.long_words}+ words) when BM25 ranks it "
                              f"first too, unless the confidence model gives it under "
                              f"{limits.unlikely_below:.0%}; and at a confidence of "
                              f"{limits.likely_at:.0%}+ whatever the score. Suggests at "
                              f"{SUGGEST_AT:.0f}+. Below: what the public would see.")
        public = answer_embed(engine.answer(question), self.service.article)
        await interaction.response.send_message(embeds=[embed, public], ephemeral=True,
                                                allowed_mentions=NOBODY)

    @app_commands.command(name="unanswered",
                          description="Questions that got no confident answer, most asked first")
    async def unanswered(self, interaction: discord.Interaction) -> None:
        questions = await self._read(interaction, self.bot.store.unanswered,
                                     interaction.guild_id, 100)
        groups = unanswered_groups(self.service.kb, questions)[:25]
        if not groups:
            await send_private(interaction, "No unanswered questions in this server so far.")
            return
        lines = [f"**{g.times}×** {truncate(g.questions[0], 150)}"
                 + (f" *(+{len(g.questions) - 1} alike)*" if len(g.questions) > 1 else "")
                 for g in groups]
        embed = notice_embed("\n".join(lines))
        embed.title = "Unanswered questions in this server"
        embed.set_footer(text="Pick one below and the entry it asks about to make it an "
                              "alternate phrasing (or use /kb alias).")
        view = UnansweredView(self.bot, groups, self._attach_group)
        await send_private(interaction, embed=embed, view=view)

    @app_commands.command(name="suggestions",
                          description="Phrasings suggested by what people asked")
    async def suggestions(self, interaction: discord.Interaction) -> None:
        signals = await self._read(interaction, self.bot.store.signals, interaction.guild_id)
        kb = self.service.kb
        proposals = pending(kb, signals)
        doubtful = doubts(kb, signals)
        if not proposals and not doubtful:
            await send_private(interaction, "No suggestions waiting in this server.")
            return
        lines = [f"`{p.id}` **{p.count}×** {truncate(' · '.join(p.phrasings), 180)} → "
                 f"`{p.entry_id}`" + (f" *(already asks `{p.owner}`)*" if p.owner else "")
                 for p in proposals[:SUGGESTIONS_PAGE]]
        embed = notice_embed("\n".join(lines) or "No suggested phrasings.")
        embed.title = "Suggested phrasings (this server)"
        if doubtful:
            embed.add_field(name="👎 Doubtful answers", value=truncate("\n".join(
                f"{d.count}× “{d.phrasing}” → `{d.entry_id}`" for d in doubtful[:10]), 1024),
                inline=False)
        embed.set_footer(text=f"{len(proposals)} waiting. Accepting adds them as alternates "
                              "(validated, recorded); rejecting means never again.")
        view = SuggestionsView(proposals[:SUGGESTIONS_PAGE], self._decide) if proposals else None
        await send_private(interaction, embed=embed, view=view)

    async def _decide(self, interaction: discord.Interaction, picked: Sequence[Proposal],
                      accept_them: bool) -> None:
        editor = editor_of(interaction)
        if not accept_them:
            if await self._change(interaction, reject, self.bot.store, picked, editor) is None:
                return
            await send_private(interaction, f"Rejected {len(picked)} suggestion(s): they will "
                                            "not be suggested again.")
            return
        outcome = await self._change(interaction, accept, self.service, self.bot.store,
                                     picked, editor)
        if outcome is None:
            return
        await send_private(interaction, _report(outcome.added, outcome.refused))
        if outcome.added:
            await self._announce(interaction, f"accepted {len(outcome.added)} suggested "
                                              "phrasing(s)")

    @app_commands.command(name="stats", description="Most asked entries, unanswered rate, 👎")
    async def stats(self, interaction: discord.Interaction) -> None:
        stats = await self._read(interaction, self.bot.store.stats, interaction.guild_id)
        rate = stats.unanswered / stats.questions if stats.questions else 0.0
        top = "\n".join(f"{n}× `{e}`" for e, n in stats.top_entries) or "none yet"
        down = "\n".join(f"👎 {d} · 👍 {u} `{e}`" for e, d, u in stats.downvoted) or "none"
        embed = notice_embed(f"**{stats.questions}** questions, **{stats.unanswered}** without "
                             f"a confident answer ({rate:.0%}).")
        embed.title = "Knowledge-base statistics for this server"
        embed.add_field(name="Most asked", value=truncate(top, 1024), inline=False)
        embed.add_field(name="Thumbs down", value=truncate(down, 1024), inline=False)
        await send_private(interaction, embed=embed)

    @app_commands.command(name="report",
                          description="A page of what people ask here: the article coloured by "
                                      "it, answers, what to fix")
    @app_commands.describe(days="The questions of the last N days (default 30)")
    async def report(self, interaction: discord.Interaction,
                     days: app_commands.Range[int, 1, 3650] = 30) -> None:
        now = datetime.now(UTC).replace(microsecond=0)
        guild = interaction.guild
        options = ReportOptions(days=days, guild_id=interaction.guild_id,
                                scope=f"this server only ({guild.name if guild else '?'})")
        page = await self._read(interaction, build_report, self.bot.store, self.service.kb,
                                options, now)
        data = page.encode("utf-8")
        if len(data) > MAX_ATTACHMENT_BYTES:
            await send_private(interaction, f"The report is {len(data) / 2**20:.1f} MiB, over "
                               f"the {MAX_ATTACHMENT_BYTES // 2**20} MiB Discord takes: ask for "
                               "fewer days, or run `python -m bot report` on the bot's machine.",
                               error=True)
            return
        await interaction.followup.send(
            f"What people asked in this server in the last {days} day(s). Open the file in a "
            "browser: it needs no network.", ephemeral=True, allowed_mentions=NOBODY,
            file=discord.File(io.BytesIO(data), filename=report_filename(now)))

    # --- files ---------------------------------------------------------------------------

    @app_commands.command(name="export", description="Download the current qa.yaml")
    async def export(self, interaction: discord.Interaction) -> None:
        data = self.service.export_text().encode("utf-8")
        await interaction.response.send_message(
            f"The knowledge base as it is now ({len(self.service.kb.entries)} entries).",
            file=discord.File(io.BytesIO(data), filename=KNOWLEDGE_FILE), ephemeral=True)

    @app_commands.command(name="import", description="Replace qa.yaml (validated, confirmed)")
    @app_commands.describe(file="A qa.yaml file")
    async def import_(self, interaction: discord.Interaction, file: discord.Attachment) -> None:
        require_editor(interaction, self.bot.settings)
        if file.size > MAX_YAML_BYTES:
            await send_private(interaction, f"That file is {file.size:,} bytes; the limit is "
                                            f"{MAX_YAML_BYTES:,}. Nothing was changed.",
                               error=True)
            return
        await defer_privately(interaction)
        raw = await file.read()
        try:
            text = raw.decode("utf-8")
            plan = await self.bot.edit(self.service.preview_import, text)
        except UnicodeDecodeError:
            await send_private(interaction, "That file is not UTF-8 text. Nothing was changed.",
                               error=True)
            return
        except QAError as error:
            await send_private(interaction, describe(error).replace("Not saved", "Not imported")
                               + "\n\nNothing was changed.", error=True)
            return
        if plan.empty:
            await send_private(interaction, "That file is the same as the current knowledge "
                                            "base: nothing to import.")
            return

        async def confirmed(button: discord.Interaction) -> None:
            changes = await self._change(button, self.service.apply_import, plan,
                                         editor_of(button))
            if changes is None:
                return
            await send_private(button, f"Imported: {len(changes)} entries changed.")
            await self._announce(button, f"imported `{file.filename}` ({len(changes)} entries "
                                         "changed)")

        summary = "\n".join(f"**{label}** ({len(ids)}): {truncate(', '.join(ids), 900)}"
                            for label, ids in (("Added", plan.added), ("Changed", plan.changed),
                                               ("Removed", plan.removed)) if ids)
        await send_private(interaction, f"Importing `{file.filename}` would change:\n{summary}\n\n"
                                        "Apply it, all or nothing?",
                           view=ConfirmView(interaction.user.id, confirmed, "Import"))

    @app_commands.command(name="reload", description="Re-read qa.yaml from disk now")
    async def reload(self, interaction: discord.Interaction) -> None:
        require_editor(interaction, self.bot.settings)
        await defer_privately(interaction)
        try:
            changes = await self.bot.edit(self.service.reload)
        except QAError as error:
            await send_private(interaction, describe(error).replace("Not saved", "Not reloaded")
                               + "\n\nStill answering from the last good version.", error=True)
            return
        ids = ", ".join(c.entry_id for c in changes)
        await send_private(interaction, f"Reloaded: {len(changes)} entries changed"
                                        + (f" ({truncate(ids, 1500)})." if ids else "."))
        if changes:
            await self._announce(interaction, f"reloaded qa.yaml ({len(changes)} entries "
                                              "changed)")


def _report(added: Sequence[tuple[str, str]], refused: Sequence[tuple[str, str, str]]) -> str:
    lines = [f"✅ “{truncate(p, 150)}” → `{e}`" for e, p in added]
    lines += [f"✖️ “{truncate(p, 150)}” not added to `{e}`: {why}" for e, p, why in refused]
    return truncate("\n".join(lines) or "Nothing to add.", 3900)


def _changed_fields(before: dict[str, object] | None, after: dict[str, object] | None) -> str:
    if before is None or after is None:
        return ""
    keys = [k for k in ("question", "alternates", "answer", "citations", "related")
            if before.get(k) != after.get(k)]
    return ", ".join(keys)


async def setup(bot: QABot) -> None:
    await bot.add_cog(Moderation(bot))
