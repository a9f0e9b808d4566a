"""Views for moderators: confirm a change, reopen a refused form, attach unanswered questions.

Each view checks, in code, that whoever presses is a moderator (and, for a confirmation, the
moderator who asked), answers refusals privately and disables itself when it times out.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any

import discord

from bot.checks import NOT_A_MODERATOR, is_moderator
from bot.core.matcher import Candidate
from bot.core.suggestions import Proposal, UnansweredGroup
from bot.ui.embeds import truncate
from bot.ui.modals import EntryForm, EntryModal, FormHandler
from bot.ui.replies import report_errors, send_private

if TYPE_CHECKING:
    from bot.client import QABot

Action = Callable[[discord.Interaction], Awaitable[None]]
SELECT_LIMIT = 25
CONFIRM_SECONDS = 120.0  # how long Confirm / Cancel stay usable
OPTION_TEXT_LIMIT = 100


class ModeratorView(discord.ui.View):
    """A view only moderators may use; with ``owner``, only that moderator."""

    def __init__(self, owner: int | None = None, timeout: float = 300) -> None:
        super().__init__(timeout=timeout)
        self.owner = owner
        self.message: discord.Message | None = None

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        bot: QABot = interaction.client  # type: ignore[assignment]
        if not is_moderator(interaction.user, bot.settings):
            await send_private(interaction, NOT_A_MODERATOR, error=True)
            return False
        if self.owner is not None and interaction.user.id != self.owner:
            await send_private(interaction, "Only the moderator who started this can use these "
                                            "buttons.", error=True)
            return False
        return True

    async def on_timeout(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Button | discord.ui.Select):
                item.disabled = True
        if self.message is not None:
            with contextlib.suppress(discord.HTTPException):
                await self.message.edit(view=self)

    async def on_error(self, interaction: discord.Interaction, error: Exception,
                       item: discord.ui.Item[Any]) -> None:
        async with report_errors(interaction):
            raise error


class ConfirmView(ModeratorView):
    """Confirm / Cancel for a change that cannot be undone in one click (remove, import)."""

    def __init__(self, owner: int, on_confirm: Action, confirm_label: str = "Confirm") -> None:
        super().__init__(owner=owner, timeout=CONFIRM_SECONDS)
        self.on_confirm = on_confirm
        self.confirm.label = confirm_label

    async def _finish(self, interaction: discord.Interaction, text: str) -> None:
        self.stop()
        await interaction.response.edit_message(content=text, view=None)

    @discord.ui.button(label="Confirm", style=discord.ButtonStyle.danger)
    async def confirm(self, interaction: discord.Interaction, _: discord.ui.Button[Any]) -> None:
        self.stop()
        await interaction.response.edit_message(view=None)
        async with report_errors(interaction):
            await self.on_confirm(interaction)

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: discord.Interaction, _: discord.ui.Button[Any]) -> None:
        await self._finish(interaction, "Cancelled: nothing was changed.")


class ReopenView(ModeratorView):
    """Offered when a form was refused: reopens it with exactly what the moderator typed."""

    def __init__(self, owner: int, title: str, form: EntryForm, on_form: FormHandler) -> None:
        super().__init__(owner=owner, timeout=15 * 60)
        self.title, self.form, self.on_form = title, form, on_form

    @discord.ui.button(label="Reopen with my text", style=discord.ButtonStyle.primary)
    async def reopen(self, interaction: discord.Interaction, _: discord.ui.Button[Any]) -> None:
        await interaction.response.send_modal(EntryModal(self.title, self.form, self.on_form))


class UnansweredView(ModeratorView):
    """Pick a group of unanswered questions (near-duplicates together), then the entry they
    should become phrasings of: the whole group is attached at once."""

    def __init__(self, bot: QABot, groups: Sequence[UnansweredGroup],
                 attach: Callable[[discord.Interaction, str, Sequence[str]], Awaitable[None]]
                 ) -> None:
        super().__init__(timeout=600)
        self.bot, self.groups, self.attach = bot, list(groups)[:SELECT_LIMIT], attach
        self.chosen: UnansweredGroup | None = None
        self.pick_question.options = [
            discord.SelectOption(
                label=truncate(g.questions[0], OPTION_TEXT_LIMIT), value=str(i),
                description=truncate(f"asked {g.times}× · last {g.last_asked[:10]}"
                                     + (f" · +{len(g.questions) - 1} alike"
                                        if len(g.questions) > 1 else ""), OPTION_TEXT_LIMIT))
            for i, g in enumerate(self.groups)]

    @discord.ui.select(placeholder="Pick a question to attach to an entry…", row=0)
    async def pick_question(self, interaction: discord.Interaction,
                            select: discord.ui.Select[Any]) -> None:
        self.chosen = self.groups[int(select.values[0])]
        engine = self.bot.service.engine
        candidates: list[Candidate] = engine.candidates(self.chosen.questions[0], SELECT_LIMIT)
        known = {c.key for c in candidates}
        ids = [c.key for c in candidates] + [e.id for e in engine.kb.entries
                                             if e.id not in known]
        self.pick_entry.options = [
            discord.SelectOption(label=truncate(engine.kb.by_id[i].question, OPTION_TEXT_LIMIT),
                                 value=i, description=i)
            for i in ids[:SELECT_LIMIT]]
        self.pick_entry.disabled = False
        self.pick_entry.placeholder = truncate(f"Attach “{self.chosen.questions[0]}” to…", 150)
        await interaction.response.edit_message(view=self)

    @discord.ui.select(placeholder="…then the entry it asks about", row=1, disabled=True,
                       options=[discord.SelectOption(label="(pick a question first)", value="-")])
    async def pick_entry(self, interaction: discord.Interaction,
                         select: discord.ui.Select[Any]) -> None:
        if self.chosen is None:
            await send_private(interaction, "Pick a question first.", error=True)
            return
        await self.attach(interaction, select.values[0], self.chosen.questions)


class SuggestionsView(ModeratorView):
    """A page of suggested phrasings: pick some, then accept or reject them."""

    def __init__(self, proposals: Sequence[Proposal],
                 decide: Callable[[discord.Interaction, Sequence[Proposal], bool],
                                  Awaitable[None]]) -> None:
        super().__init__(timeout=600)
        self.proposals, self.decide = list(proposals)[:SELECT_LIMIT], decide
        self.picked: list[Proposal] = []
        self.pick.options = [
            discord.SelectOption(label=truncate(p.phrasings[0], OPTION_TEXT_LIMIT), value=p.id,
                                 description=truncate(f"→ {p.entry_id} · {p.count} "
                                                      f"{'person' if p.count == 1 else 'people'}"
                                                      + (f" · +{len(p.phrasings) - 1} alike"
                                                         if len(p.phrasings) > 1 else ""),
                                                      OPTION_TEXT_LIMIT))
            for p in self.proposals]
        self.pick.max_values = len(self.proposals)

    @discord.ui.select(placeholder="Pick suggestions…", row=0)
    async def pick(self, interaction: discord.Interaction, select: discord.ui.Select[Any]
                   ) -> None:
        by_id = {p.id: p for p in self.proposals}
        self.picked = [by_id[i] for i in select.values]
        await interaction.response.defer()

    @discord.ui.button(label="Accept", style=discord.ButtonStyle.success, row=1)
    async def accept(self, interaction: discord.Interaction, _: discord.ui.Button[Any]) -> None:
        await self._decide(interaction, accept=True)

    @discord.ui.button(label="Reject", style=discord.ButtonStyle.secondary, row=1)
    async def reject(self, interaction: discord.Interaction, _: discord.ui.Button[Any]) -> None:
        await self._decide(interaction, accept=False)

    async def _decide(self, interaction: discord.Interaction, *, accept: bool) -> None:
        if not self.picked:
            await send_private(interaction, "Pick one or more suggestions first.", error=True)
            return
        picked, self.picked = self.picked, []
        await self.decide(interaction, picked, accept)
