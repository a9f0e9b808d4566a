from tests.standin.server import StandinDiscord


async def test_mention_is_answered(standin: StandinDiscord, running) -> None:
    async with running():
        await standin.send_message(f"<@{standin.bot_user['id']}> who sent the cable?")
        reply = await standin.wait_for("message")
        print(reply.json)
        assert reply.embeds[0]["title"] == "Who sent the cable?"
