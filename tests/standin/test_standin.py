"""Proves the stand-in Discord with a minimal discord.py bot defined here (not the project's)."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator

import discord
import pytest
from discord import app_commands
from discord.ext import commands

from tests.standin import StandinDiscord
from tests.standin import payloads as p
from tests.standin.server import BotCrashedError

# --------------------------------------------------------------------------- the mini bot


class Feedback(discord.ui.Modal, title="Feedback"):
    text = discord.ui.TextInput(label="Your feedback", custom_id="text", max_length=200)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"Thanks: {self.text.value}")


class Picker(discord.ui.View):
    @discord.ui.button(label="Hello", custom_id="hello")
    async def hello(self, interaction: discord.Interaction, _: discord.ui.Button[Picker]) -> None:
        await interaction.response.edit_message(content=f"clicked by {interaction.user.name}",
                                                view=None)

    @discord.ui.select(custom_id="color", options=[
        discord.SelectOption(label="Red", value="red"),
        discord.SelectOption(label="Blue", value="blue"),
    ])
    async def color(self, interaction: discord.Interaction,
                    select: discord.ui.Select[Picker]) -> None:
        await interaction.response.send_message(f"picked {select.values[0]}")


@app_commands.command(description="Answers pong, privately")
async def ping(interaction: discord.Interaction) -> None:
    await interaction.response.send_message("pong", ephemeral=True)


QUESTIONS = ["who sent the cable", "when was it sent", "what did it say"]


@app_commands.command(description="Ask a question")
@app_commands.describe(question="What you want to know")
async def ask(interaction: discord.Interaction, question: str) -> None:
    await interaction.response.send_message(f"You asked: {question}")


@ask.autocomplete("question")
async def ask_autocomplete(_: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=q, value=q) for q in QUESTIONS if current in q]


@app_commands.command(description="Opens a feedback form")
async def feedback(interaction: discord.Interaction) -> None:
    await interaction.response.send_modal(Feedback())


@app_commands.command(description="Thinks, then answers")
async def slow(interaction: discord.Interaction) -> None:
    await interaction.response.defer(thinking=True)
    await interaction.followup.send("done thinking")
    await interaction.edit_original_response(content="done (edited)")


@app_commands.command(description="Measures an uploaded file")
async def size(interaction: discord.Interaction, file: discord.Attachment) -> None:
    data = await file.read()
    await interaction.response.send_message(f"{file.filename}: {len(data)} bytes")


@app_commands.context_menu(name="Quote")
async def quote(interaction: discord.Interaction, message: discord.Message) -> None:
    await interaction.response.send_message(f"> {message.content}")


class MiniBot(commands.Bot):
    """Replies to every message with an embed echoing what on_message saw."""

    def __init__(self, guild_id: str, *, message_content: bool = True) -> None:
        intents = discord.Intents.default()
        intents.message_content = message_content
        super().__init__(command_prefix="!", intents=intents, guild_ready_timeout=0.05)
        self.guild_id = int(guild_id)
        self.seen: list[discord.Message] = []

    async def setup_hook(self) -> None:
        guild = discord.Object(self.guild_id)
        for command in (ping, ask, feedback, slow, size, quote):
            self.tree.add_command(command, guild=guild)
        await self.tree.sync(guild=guild)

    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot:
            return
        self.seen.append(message)
        if message.content == "!picker":
            await message.channel.send("Pick one", view=Picker())
        elif message.content == "!dm":
            await message.author.send("psst")
        elif message.content == "!pin":
            await message.pin()
        elif message.content == "!long":
            await message.channel.send("x" * 2001)
        elif message.content == "!file":
            data = await message.attachments[0].read()
            await message.channel.send("got it", file=discord.File(io.BytesIO(data[::-1]), "r.txt"))
        else:
            embed = discord.Embed(title="Echo", description=message.content or "(blank)")
            await message.reply(embed=embed, allowed_mentions=discord.AllowedMentions.none())


@pytest.fixture
async def bot(standin: StandinDiscord) -> AsyncIterator[MiniBot]:
    client = MiniBot(standin.guild["id"])
    async with standin.run_bot(client):
        yield client


# --------------------------------------------------------------------------- tests


async def test_login_and_ready_caches_the_guild(standin: StandinDiscord, bot: MiniBot) -> None:
    assert bot.user is not None and str(bot.user.id) == standin.bot_user["id"]
    guild = bot.get_guild(int(standin.guild["id"]))
    assert guild is not None and guild.me is not None
    assert guild.me.guild_permissions.send_messages
    assert isinstance(guild.get_channel(int(standin.channel["id"])), discord.TextChannel)
    assert standin.identify_count == 1 and standin.resume_count == 0
    sync = await standin.wait_for("command_sync")
    assert sync.guild_id == standin.guild["id"]
    names = {c["name"] for c in sync.commands}
    assert names == {"ask", "feedback", "ping", "Quote", "size", "slow"}


async def test_message_gets_an_embed_reply(standin: StandinDiscord, bot: MiniBot) -> None:
    sent = await standin.send_message("who sent the cable?")
    reply = await standin.wait_for("message")
    assert reply.embeds[0]["description"] == "who sent the cable?"
    assert reply.allowed_mentions == {"parse": []}  # AllowedMentions.none(): no ping
    assert reply.message_reference is not None
    assert str(reply.message_reference["message_id"]) == sent["id"]  # the bot sends an int
    assert reply.channel_id == standin.channel["id"]
    assert isinstance(bot.seen[0].author, discord.Member)
    await standin.assert_silent()


async def test_content_is_blanked_without_the_intent(standin: StandinDiscord) -> None:
    async with standin.run_bot(MiniBot(standin.guild["id"], message_content=False)):
        await standin.send_message("hello there")
        assert (await standin.wait_for("message")).embeds[0]["description"] == "(blank)"
        mention = f"<@{standin.bot_user['id']}> hello bot"
        await standin.send_message(mention)
        assert (await standin.wait_for("message")).embeds[0]["description"] == mention
        await standin.send_dm("a private hello")
        dm_reply = await standin.wait_for("message")
        assert dm_reply.embeds[0]["description"] == "a private hello"
        assert dm_reply.channel_id == standin.dm_channel(standin.user)["id"]


async def test_slash_command_round_trip(standin: StandinDiscord, bot: MiniBot) -> None:
    response = await standin.invoke("ping")
    assert response.response_type == 4
    assert response.content == "pong" and response.ephemeral
    assert response.guild_id == standin.guild["id"]


async def test_autocomplete_round_trip(standin: StandinDiscord, bot: MiniBot) -> None:
    suggestions = await standin.autocomplete("ask", {"question": "sent"}, focused="question")
    assert suggestions.response_type == 8
    assert [c["value"] for c in suggestions.choices] == ["who sent the cable", "when was it sent"]
    answer = await standin.invoke("ask", {"question": suggestions.choices[0]["value"]})
    assert answer.content == "You asked: who sent the cable"


async def test_button_and_select_on_a_view(standin: StandinDiscord, bot: MiniBot) -> None:
    await standin.send_message("!picker")
    posted = await standin.wait_for("message")
    assert posted.custom_ids == ["hello", "color"]
    picked = await standin.select(posted, "color", ["blue"])
    assert picked.content == "picked blue"
    clicked = await standin.click(posted, "hello")
    assert clicked.response_type == 7 and clicked.content == "clicked by alice"
    assert clicked.message_id == posted.message_id
    assert standin.messages[posted.message_id or ""]["components"] == []


async def test_modal_round_trip(standin: StandinDiscord, bot: MiniBot) -> None:
    modal = await standin.invoke("feedback")
    assert modal.response_type == 9 and modal.body["title"] == "Feedback"
    with pytest.raises(ValueError, match="required"):
        await standin.submit_modal(modal, {})
    thanks = await standin.submit_modal(modal, {"text": "great article"})
    assert thanks.content == "Thanks: great article"


async def test_deferred_then_followup_replaces_the_loading_message(
        standin: StandinDiscord, bot: MiniBot) -> None:
    deferred = await standin.invoke("slow")
    assert deferred.response_type == 5
    followup = await standin.wait_for("followup")
    assert followup.content == "done thinking"
    assert followup.message_id == deferred.message_id
    edit = await standin.wait_for("edit")
    assert edit.path.endswith("/messages/@original") and edit.message_id == deferred.message_id
    assert standin.messages[edit.message_id or ""]["content"] == "done (edited)"


async def test_attachment_option_is_resolved(standin: StandinDiscord, bot: MiniBot) -> None:
    upload = standin.add_attachment(b"12345", "notes.txt", "text/plain")
    answer = await standin.invoke("size", {"file": upload})
    assert answer.content == "notes.txt: 5 bytes"


async def test_message_context_menu(standin: StandinDiscord, bot: MiniBot) -> None:
    target = await standin.send_message("quotable words")
    await standin.wait_for("message")
    quoted = await standin.invoke_message_command("Quote", target)
    assert quoted.content == "> quotable words"


async def test_attachments_can_be_read_and_uploaded(standin: StandinDiscord, bot: MiniBot) -> None:
    att = standin.add_attachment(b"abc", "in.txt", "text/plain")
    await standin.send_message("!file", attachments=[att])
    sent = await standin.wait_for("message")
    assert sent.content == "got it"
    assert [(f.filename, f.data) for f in sent.files] == [("r.txt", b"cba")]


async def test_bot_opens_a_dm(standin: StandinDiscord, bot: MiniBot) -> None:
    await standin.send_message("!dm")
    await standin.wait_for("dm_open")
    dm = await standin.wait_for("message")
    assert dm.content == "psst" and dm.channel_id == standin.dm_channel(standin.user)["id"]


async def test_unknown_routes_are_recorded_and_answer_404() -> None:
    async with StandinDiscord() as server:  # not the fixture: it fails on unknown routes
        client = MiniBot(server.guild["id"])
        async with server.run_bot(client):
            await server.send_message("!pin")
            await server.wait_until(lambda: server.unknown_routes, what="the pin request")
        assert server.unknown_routes[0].startswith("PUT /channels/")


async def test_limits_are_enforced(standin: StandinDiscord, bot: MiniBot) -> None:
    await standin.send_message("!long")
    rejected = await standin.wait_for("rejected")
    assert rejected.of_kind == "message" and rejected.status == 400
    assert "content: 2001 characters" in rejected.errors[0]
    assert rejected.response["errors"]["content"]["_errors"][0]["message"].startswith("2001")


async def test_reconnect_resumes_the_same_session(standin: StandinDiscord, bot: MiniBot) -> None:
    session_id = standin.session_id
    await standin.reconnect()
    assert standin.resume_count == 1 and standin.identify_count == 1
    assert standin.gateway_log[-1]["d"]["session_id"] == session_id
    await standin.send_message("still there?")
    assert (await standin.wait_for("message")).embeds[0]["description"] == "still there?"


async def test_close_4000_resumes_and_replays(standin: StandinDiscord, bot: MiniBot) -> None:
    await standin.drop_connection(4000)
    await standin.send_message("sent during the outage")
    await standin.wait_resumed()
    reply = await standin.wait_for("message")
    assert reply.embeds[0]["description"] == "sent during the outage"
    assert standin.identify_count == 1 and standin.resume_count == 1
    await standin.assert_silent()


async def test_invalid_session_reidentifies(standin: StandinDiscord, bot: MiniBot) -> None:
    await standin.invalidate_session(resumable=False)
    assert standin.identify_count == 2
    await standin.send_message("after a new session")
    assert (await standin.wait_for("message")).embeds[0]["description"] == "after a new session"


async def test_429_is_retried_and_the_reply_arrives_once(
        standin: StandinDiscord, bot: MiniBot) -> None:
    standin.fail_next("message", status=429, retry_after=0.05)
    await standin.send_message("rate limited")
    reply = await standin.wait_for("message")
    assert reply.embeds[0]["description"] == "rate limited"
    assert [r.of_kind for r in standin.records_of("fault")] == ["message"]
    await standin.assert_silent()
    assert len(standin.records_of("message")) == 1


async def test_malformed_event_kills_an_unprotected_client(
        standin: StandinDiscord, bot: MiniBot) -> None:
    # Documents the pitfall: a parser KeyError escapes Client.start() (the bot must guard it).
    await standin.dispatch_malformed()
    with pytest.raises(BotCrashedError, match="KeyError"):
        await standin.wait_for("message", timeout=2)


async def test_payload_builders_compute_permissions() -> None:
    owner, alice = p.user("owner"), p.user("alice")
    mod = p.role("mod", permissions=p.MANAGE_GUILD)
    guild = p.guild(owner_id=owner["id"], roles=[mod],
                    members=[p.member(owner), p.member(alice, roles=[mod])])
    assert p.member_permissions(guild, owner["id"]) == p.ALL_PERMISSIONS
    assert p.member_permissions(guild, alice["id"]) == p.EVERYONE_PERMISSIONS | p.MANAGE_GUILD
    assert guild["roles"][0]["id"] == guild["id"]  # @everyone added first
