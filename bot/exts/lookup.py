"""Slash-command lookups: /ask (with autocomplete), /topics, /source, /article, and the
"Answer with the article" message command."""

from __future__ import annotations

import asyncio
import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import QABot
from bot.core.answers import MAX_QUESTION_CHARS
from bot.core.errors import NotFoundError
from bot.core.suggest import autocomplete
from bot.ui.buttons import ANSWER_BUTTONS, answer_view
from bot.ui.embeds import answer_embed, article_embed, paragraph_embed, truncate
from bot.ui.replies import NOBODY, send_private, with_view
from bot.ui.topics import TopicsPageButton, topics_page

log = logging.getLogger(__name__)

CHOICES_LIMIT = 25
CHOICE_TEXT_LIMIT = 100


def question_choices(bot: QABot, current: str) -> list[app_commands.Choice[str]]:
    """Up to 25 knowledge-base questions for what is typed (``core.suggest``), then the rest
    in file order. When nothing is typed: the most asked first."""
    engine = bot.service.engine
    kb = engine.kb
    ids = autocomplete(engine, current, CHOICES_LIMIT) or (
        [] if current.strip() else bot.journal.popular)
    ids = list(dict.fromkeys(ids + [e.id for e in kb.entries]))  # fill up, no repeats
    questions = [kb.by_id[i].question for i in ids if i in kb.by_id][:CHOICES_LIMIT]
    return [app_commands.Choice(name=truncate(q, CHOICE_TEXT_LIMIT),
                                value=truncate(q, CHOICE_TEXT_LIMIT)) for q in questions]


class Lookup(commands.Cog):
    """Answers slash commands; autocomplete values are suggestions, re-resolved on use."""

    def __init__(self, bot: QABot) -> None:
        self.bot = bot
        self.answer_menu = app_commands.ContextMenu(name="Answer with the article",
                                                    callback=self.answer_message)
        self.bot.tree.add_command(self.answer_menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.answer_menu.name, type=self.answer_menu.type)

    @app_commands.command(name="ask", description="Ask a question about the article")
    @app_commands.describe(question="Your question (pick a suggestion or type your own)",
                           private="Only you see the answer")
    async def ask(self, interaction: discord.Interaction,
                  question: app_commands.Range[str, 1, 4000], private: bool = False) -> None:
        if len(question) > MAX_QUESTION_CHARS:
            await send_private(interaction, f"Please ask in under {MAX_QUESTION_CHARS} "
                                            "characters.", error=True)
            return
        refusal = self.bot.limited(interaction.user.id)
        if refusal is not None:
            await send_private(interaction, refusal or "Slow down a little, please.")
            return
        answer = self.bot.ask(interaction.user.id, interaction.channel_id, interaction.guild_id,
                              question)
        log_id = self.bot.log_question(answer, "slash", interaction.guild_id,
                                       interaction.channel_id)
        await interaction.response.send_message(
            embed=answer_embed(answer, self.bot.service.article), ephemeral=private,
            allowed_mentions=NOBODY, **with_view(answer_view(answer, log_id)))

    @ask.autocomplete("question")
    async def ask_autocomplete(self, interaction: discord.Interaction, current: str
                               ) -> list[app_commands.Choice[str]]:
        try:
            # Matching as the user types is CPU work: off the event loop.
            return await asyncio.to_thread(question_choices, self.bot, current)
        except Exception:  # an autocomplete must answer, even with nothing
            log.exception("Autocomplete failed for %r", current[:100])
            return []

    @app_commands.command(name="topics", description="List the questions I can answer")
    async def topics(self, interaction: discord.Interaction) -> None:
        embed, view = topics_page(self.bot.service.kb, 0, interaction.user.id)
        await interaction.response.send_message(embed=embed, allowed_mentions=NOBODY,
                                                **with_view(view))

    @app_commands.command(name="source", description="Show a paragraph of the article")
    @app_commands.describe(paragraph="Paragraph number, from 1")
    async def source(self, interaction: discord.Interaction,
                     paragraph: app_commands.Range[int, 1, 1000]) -> None:
        article = self.bot.service.article
        if not 1 <= paragraph <= len(article.paragraphs):
            raise NotFoundError(f"There is no paragraph {paragraph}: the article has "
                                f"paragraphs 1 to {len(article.paragraphs)}.")
        await interaction.response.send_message(
            embed=paragraph_embed(article, article.paragraph(paragraph)),
            allowed_mentions=NOBODY)

    @app_commands.command(name="article", description="The article: headline, date, opening")
    async def article(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(embed=article_embed(self.bot.service.article),
                                                allowed_mentions=NOBODY)

    async def answer_message(self, interaction: discord.Interaction,
                             message: discord.Message) -> None:
        """Answer another member's message: as a public reply to it where the member may
        send messages, otherwise privately."""
        question = message.content.strip()
        if not question:
            await send_private(interaction, "That message has no text I can read.", error=True)
            return
        refusal = self.bot.limited(interaction.user.id)
        if refusal is not None:
            await send_private(interaction, refusal or "Slow down a little, please.")
            return
        answer = self.bot.service.answer(question)
        log_id = self.bot.log_question(answer, "context_menu", interaction.guild_id,
                                       interaction.channel_id)
        embed = answer_embed(answer, self.bot.service.article)
        may_post = interaction.guild is None or interaction.permissions.send_messages
        if not (answer.answered or answer.partial) or not may_post:
            await send_private(interaction, embed=embed, view=answer_view(answer, log_id))
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            await message.reply(embed=embed, view=answer_view(answer, log_id),
                                allowed_mentions=NOBODY, mention_author=False)
        except discord.HTTPException as exc:  # no permission, message deleted meanwhile, …
            if not isinstance(exc, discord.Forbidden):
                log.warning("Could not reply to message %s: %s", message.id, exc)
            reason = ("I can't post in this channel" if isinstance(exc, discord.Forbidden)
                      else "I couldn't post my reply to that message")
            await interaction.followup.send(f"{reason}, so here is the answer just for you:",
                                            embed=embed, ephemeral=True)
            return
        await interaction.followup.send("Answered, as a reply to that message.", ephemeral=True)


async def setup(bot: QABot) -> None:
    bot.add_dynamic_items(*ANSWER_BUTTONS, TopicsPageButton)
    await bot.add_cog(Lookup(bot))
