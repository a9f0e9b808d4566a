"""Questions asked in chat: when the bot is mentioned, in Q&A channels, and in DMs."""

from __future__ import annotations

import logging

import discord
from discord.ext import commands

from bot.client import QABot
from bot.core.answers import MAX_QUESTION_CHARS, clean_question
from bot.ui.buttons import ANSWER_BUTTONS, answer_view
from bot.ui.embeds import answer_embed, notice_embed
from bot.ui.replies import NOBODY

log = logging.getLogger(__name__)

TOO_LONG = (f"That's a long message! I answer questions of up to {MAX_QUESTION_CHARS} "
            "characters: please ask in one or two sentences.")


class Chat(commands.Cog):
    """Answers chat messages as a reply, pinging nobody."""

    def __init__(self, bot: QABot) -> None:
        self.bot = bot

    def _addressed(self, message: discord.Message) -> str | None:
        """How the message reaches the bot: 'dm', 'mention', 'channel', or None (ignore).

        A mention means the bot's own user or its own role; @everyone and @here are not a
        mention of the bot.
        """
        me = self.bot.user
        if me is None:
            return None
        if message.guild is None:
            return "dm"
        own_role = message.guild.self_role
        if me in message.mentions or (own_role is not None and own_role in message.role_mentions):
            return "mention"
        if message.channel.id in self.bot.settings.qa_channel_ids or (
            isinstance(message.channel, discord.Thread)
            and message.channel.parent_id in self.bot.settings.qa_channel_ids
        ):
            return "channel"
        return None

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or message.webhook_id is not None:
            return  # bots, this one included, and webhooks
        route = self._addressed(message)
        if route is None:
            return
        question = clean_question(message.content)  # mentions, @everyone, @here out
        if route == "channel" and not question:
            return  # an image, a sticker, or no Message Content intent
        refusal = self.bot.limited(message.author.id)
        if refusal is not None:
            if refusal and route != "channel":
                await self._reply(message, notice_embed(refusal))
            return
        if len(question) > MAX_QUESTION_CHARS:
            await self._reply(message, notice_embed(TOO_LONG))
            return
        answer = self.bot.ask(message.author.id, message.channel.id,
                              message.guild and message.guild.id, question)
        log_id = self.bot.log_question(answer, route, message.guild and message.guild.id,
                                       message.channel.id)
        if route == "channel" and not (answer.answered or answer.partial):
            return  # not sure: stay quiet in a busy channel; moderators see it in /kb unanswered
        await self._reply(message, answer_embed(answer, self.bot.service.article),
                          answer_view(answer, log_id))

    async def _reply(self, message: discord.Message, embed: discord.Embed,
                     view: discord.ui.View | None = None) -> None:
        """Reply to the question without pinging anyone, even if it was deleted meanwhile."""
        try:
            await message.channel.send(embed=embed, view=view, allowed_mentions=NOBODY,
                                       reference=message.to_reference(fail_if_not_exists=False),
                                       mention_author=False)
        except discord.Forbidden:
            log.warning("No permission to reply in channel %s: give the bot Send Messages, "
                        "Embed Links and Read Message History there", message.channel.id)


async def setup(bot: QABot) -> None:
    bot.add_dynamic_items(*ANSWER_BUTTONS)
    await bot.add_cog(Chat(bot))
