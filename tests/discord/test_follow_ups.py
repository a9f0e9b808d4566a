"""Follow-ups and partial answers on Discord: a question that leans on the asker's previous
one is read with it, per person and per channel; what the article does not say is said."""

from __future__ import annotations

from tests.standin.server import StandinDiscord


async def test_a_follow_up_in_chat_is_read_with_the_previous_question(
        standin: StandinDiscord, running, mention: str) -> None:
    async with running():
        await standin.send_message(f"{mention} when did the khmer rouge lose power?")
        first = await standin.wait_for("message")
        await standin.send_message(f"{mention} who drove them out?")
        second = await standin.wait_for("message")
    assert first.embeds[0]["title"] == "When did the Khmer Rouge lose power?"
    embed = second.embeds[0]
    assert embed["title"] == "How was Pol Pot's government driven from power?"
    assert embed["description"].startswith(
        "*Following up “when did the khmer rouge lose power?”.*\n")


async def test_a_follow_up_without_a_previous_question_is_not_guessed(
        standin: StandinDiscord, running, mention: str) -> None:
    async with running():
        await standin.send_message(f"{mention} who drove them out?")
        reply = await standin.wait_for("message")
    embed = reply.embeds[0]
    assert embed["title"] == "who drove them out?"  # did you mean: the asker's own words
    assert "Did you mean" in embed["description"]


async def test_follow_ups_belong_to_one_person(standin: StandinDiscord, running,
                                               mention: str) -> None:
    """Bob's "who drove them out?" does not lean on Alice's question."""
    bob = standin.add_user("bob")
    async with running():
        await standin.send_message(f"{mention} when did the khmer rouge lose power?")
        await standin.wait_for("message")
        await standin.send_message(f"{mention} who drove them out?", author=bob)
        reply = await standin.wait_for("message")
    assert "Did you mean" in reply.embeds[0]["description"]


async def test_follow_ups_belong_to_one_channel(standin: StandinDiscord, running,
                                                mention: str) -> None:
    other = standin.add_text_channel("other")
    async with running():
        await standin.send_message(f"{mention} when did the khmer rouge lose power?")
        await standin.wait_for("message")
        await standin.send_message(f"{mention} who drove them out?", channel=other)
        reply = await standin.wait_for("message")
    assert "Did you mean" in reply.embeds[0]["description"]


async def test_ask_follows_up_a_question_asked_in_chat(standin: StandinDiscord, running,
                                                       mention: str) -> None:
    async with running():
        await standin.send_message(f"{mention} who was ta mok?")
        await standin.wait_for("message")
        response = await standin.invoke("ask", {"question": "what happened to him?"})
    embed = response.embeds[0]
    assert embed["title"] == "What happened to Ta Mok?"
    assert "Following up “who was ta mok?”" in embed["description"]


async def test_a_dm_follow_up(standin: StandinDiscord, running) -> None:
    async with running():
        await standin.send_dm("did china take in the khmer rouge leaders?")
        await standin.wait_for("message")
        await standin.send_dm("why?")
        reply = await standin.wait_for("message")
    embed = reply.embeds[0]
    assert embed["description"].startswith("*Following up")
    assert "The article does not say why" in embed["description"]


async def test_a_partial_answer_is_shown_with_its_source(standin: StandinDiscord, running,
                                                         mention: str) -> None:
    async with running():
        await standin.send_message(f"{mention} how did pol pot die?")
        reply = await standin.wait_for("message")
    embed = reply.embeds[0]
    assert embed["title"] == "how did pol pot die?"
    assert embed["description"].startswith("The article does not say how Pol Pot died.")
    assert embed["fields"][0]["name"] == "Source"
    assert "paragraph 10" in embed["fields"][0]["value"]
    assert embed["footer"]["text"].startswith("The article does not say exactly this")


async def test_a_partial_answer_is_given_in_a_qa_channel(standin: StandinDiscord, running,
                                                         qa_channel: dict) -> None:
    async with running(**qa_channel):
        await standin.send_message("who paid for the tribunal?")
        reply = await standin.wait_for("message")
    assert reply.embeds[0]["description"].startswith("The article does not say")
