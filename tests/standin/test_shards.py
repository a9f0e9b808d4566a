"""Proves the stand-in's shards with a minimal sharded discord.py bot (not the project's)."""

from __future__ import annotations

import discord
import pytest
from discord.ext import commands

from tests.standin import StandinDiscord
from tests.standin import payloads as p


class ShardEcho(commands.AutoShardedBot):
    """Answers every message with the shard discord.py says the message's guild is on."""

    def __init__(self, **options: object) -> None:
        intents = discord.Intents.default()
        intents.message_content = True
        super().__init__(command_prefix="!", intents=intents, guild_ready_timeout=0.05,
                         **options)  # type: ignore[arg-type]

    async def on_message(self, message: discord.Message) -> None:
        if not message.author.bot:
            shard = message.guild.shard_id if message.guild else 0
            await message.channel.send(f"shard {shard}")


def events(standin: StandinDiscord, shard: int) -> list[tuple[str, str | None]]:
    """(event, guild id) of each frame sent on the session of ``shard``."""
    return [(f["t"], f["d"]["id"] if f["t"] == "GUILD_CREATE" else f["d"].get("guild_id"))
            for f in standin.sent_frames(shard)]


@pytest.mark.parametrize("count", [1, 2, 3, 7])
def test_a_guild_id_lands_on_the_shard_asked_for(count: int) -> None:
    ids = [int(p.snowflake(shard=(shard, count))) for shard in range(count) for _ in range(3)]
    assert [(i >> 22) % count for i in ids] == [s for s in range(count) for _ in range(3)]
    assert ids == sorted(set(ids))  # still unique and increasing
    assert int(p.snowflake()) > ids[-1]


async def test_gateway_bot_recommends_the_count_and_each_shard_gets_its_guilds() -> None:
    async with StandinDiscord(recommended_shards=3) as standin:
        placed = {shard: standin.add_guild(f"On {shard}", shard=(shard, 3))["id"]
                  for shard in range(3)}
        client = ShardEcho()  # no shard_count: asks GET /gateway/bot
        async with standin.run_bot(client):
            assert client.shard_count == 3 and set(client.shards) == {0, 1, 2}
            gateway = standin.records_of("gateway")
            assert [r.path for r in gateway] == ["/gateway/bot"]
            assert gateway[0].response["shards"] == 3
            shards = [f["d"].get("shard") for f in standin.gateway_log if f["op"] == 2]
            assert sorted(shards) == [[0, 3], [1, 3], [2, 3]]
            for shard in range(3):
                mine = {gid for gid in standin.guilds if (int(gid) >> 22) % 3 == shard}
                assert placed[shard] in mine
                ready = standin.sent_frames(shard)[0]
                assert ready["t"] == "READY" and ready["d"]["shard"] == [shard, 3]
                assert {g["id"] for g in ready["d"]["guilds"]} == mine
                assert {gid for event, gid in events(standin, shard)[1:]
                        if event == "GUILD_CREATE"} == mine
            assert {g.id for g in client.guilds} == {int(gid) for gid in standin.guilds}
        assert not standin.unknown_routes


async def test_events_go_to_their_guilds_shard_and_dms_to_shard_0(
        standin: StandinDiscord) -> None:
    one = standin.add_guild("On 1", shard=(1, 2))
    zero = standin.add_guild("On 0", shard=(0, 2))
    async with standin.run_bot(ShardEcho(shard_count=2)):
        for guild, shard in ((one, 1), (zero, 0)):
            sent = await standin.send_message("hi", channel=guild["channels"][0])
            assert ("MESSAGE_CREATE", guild["id"]) in events(standin, shard)
            assert ("MESSAGE_CREATE", guild["id"]) not in events(standin, 1 - shard)
            reply = await standin.wait_for("message")
            assert (reply.channel_id, reply.content) == (sent["channel_id"], f"shard {shard}")
        await standin.send_dm("hi")
        assert events(standin, 0)[-1] == ("MESSAGE_CREATE", None)
        assert (await standin.wait_for("message")).content == "shard 0"
        await standin.assert_silent()  # reads every shard's connection, not one


async def test_a_bot_running_one_shard_hears_only_its_guilds(standin: StandinDiscord) -> None:
    one = standin.add_guild("On 1", shard=(1, 2))
    zero = standin.add_guild("On 0", shard=(0, 2))
    client = ShardEcho(shard_count=2, shard_ids=[1])
    async with standin.run_bot(client):
        assert standin.identify_count == 1
        assert client.get_guild(int(one["id"])) is not None
        assert client.get_guild(int(zero["id"])) is None
        with pytest.raises(RuntimeError, match="no gateway session for guild"):
            await standin.send_message("hi", channel=zero["channels"][0])
        await standin.send_message("hi", channel=one["channels"][0])
        assert (await standin.wait_for("message")).content == "shard 1"


async def test_a_shard_beyond_the_count_is_refused_with_4010(standin: StandinDiscord) -> None:
    client = ShardEcho(shard_count=2, shard_ids=[2])
    with standin.patched(), pytest.raises(discord.ConnectionClosed) as closed:
        async with client:
            await client.start("standin-token")
    assert closed.value.code == 4010
