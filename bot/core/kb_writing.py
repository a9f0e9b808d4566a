"""Writing qa.yaml: a knowledge base as text, in the file's one canonical form.

Keys in a fixed order, one list item per line, no line folding, strings quoted only when they
must be: changing one phrasing changes one line, and reading the text back (``kb_reading``)
gives the same knowledge base, with its header and the comments above its entries.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import yaml

from bot.core.knowledge import SCHEMA_VERSION, Entry, KnowledgeBase

_STR_TAG = "tag:yaml.org,2002:str"
_RESOLVER = yaml.resolver.Resolver()
_PLAIN_UNSAFE_START = frozenset("-?:,[]{}#&*!|>'\"%@`")


def _scalar(text: str) -> str:
    """A string as YAML writes it in this file: plain when it reads back as the same string,
    single-quoted when it is printable, double-quoted (with escapes) otherwise."""
    if (text and text[0] not in _PLAIN_UNSAFE_START and text == text.strip()
            and ": " not in text and " #" not in text and not text.endswith(":")
            and text.isprintable()
            and _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == _STR_TAG):
        return text
    if text.isprintable():
        return "'" + text.replace("'", "''") + "'"
    return json.dumps(text, ensure_ascii=False)


def _entry_lines(entry: Entry) -> Iterator[str]:
    """One entry in the file's canonical form: keys in a fixed order, one list item per line,
    no line folding, so that changing one phrasing changes one line."""
    for key, value in entry.to_dict().items():
        prefix = "  - " if key == "id" else "    "
        if isinstance(value, list) and key == "citations":
            yield f"{prefix}{key}:"
            for citation in value:
                yield f"      - paragraph: {citation['paragraph']}"
                yield f"        quote: {_scalar(citation['quote'])}"
        elif isinstance(value, list):
            yield f"{prefix}{key}:"
            yield from (f"      - {_scalar(item)}" for item in value)
        elif isinstance(value, bool):
            yield f"{prefix}{key}: {'true' if value else 'false'}"
        elif isinstance(value, int):
            yield f"{prefix}{key}: {value}"
        else:
            yield f"{prefix}{key}: {_scalar(value)}"


def dump_knowledge(kb: KnowledgeBase) -> str:
    """qa.yaml text for a knowledge base: its header comment, then one block per entry, each
    after the comment that stood above it."""
    parts = [kb.header + "\n" if kb.header else "", f"version: {SCHEMA_VERSION}\nentries:\n"]
    for entry in kb.entries:
        if entry.id in kb.comments:
            parts.append("\n" + kb.comments[entry.id] + "\n")
        parts.append("\n" + "\n".join(_entry_lines(entry)) + "\n")
    return "".join(parts)
