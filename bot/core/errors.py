"""Domain errors. Their messages are written for people and are safe to show to a user."""

from __future__ import annotations

from dataclasses import dataclass


class QAError(Exception):
    """Base class: an error whose message can be shown as is."""


class ArticleError(QAError):
    """The article file cannot be read or does not have the expected form."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem found in a knowledge-base file, at a line (0 when no line applies)."""

    line: int
    message: str

    def format(self, filename: str) -> str:
        return f"{filename}:{self.line}: {self.message}"


class KnowledgeError(QAError):
    """The knowledge base is invalid; ``problems`` lists every problem found."""

    def __init__(self, filename: str, problems: list[Problem]) -> None:
        self.filename = filename
        self.problems = problems
        super().__init__("\n".join(problem.format(filename) for problem in problems))


class ConflictError(QAError):
    """An edit was made from an older revision of an entry than the one saved."""


class NotFoundError(QAError):
    """An entry, revision or paragraph that does not exist was asked for."""
