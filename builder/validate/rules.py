"""A validation rule: its id, what it checks (the title the validation report shows) and its message.

In: the rule's wording, declared beside the check that applies it. Out: `Problem`s worded from it.
`messages.RULES` collects every rule, so each id has exactly one title and one wording.
"""

from __future__ import annotations

from dataclasses import dataclass

from builder.problems import Problem


@dataclass(frozen=True, kw_only=True)
class Rule:
    id: str
    title: str  # what the rule checks, one Chinese sentence
    message: str = ""  # a problem's wording; {placeholders} are filled by `problem`
    severity: str = "error"  # "error" blocks publishing; "warning" is reported and published

    def problem(
        self,
        *,
        package: str,
        resource: str | None = None,
        path: str | None = None,
        row: int | None = None,
        field: str | None = None,
        value: str | None = None,
        related_rows: tuple[int, ...] = (),
        message: str | None = None,
        **details: object,
    ) -> Problem:
        """A located problem, worded from `message` (or the rule's own) with `details` filled in."""
        text = (self.message if message is None else message).format(**details)
        return Problem(
            package=package,
            resource=resource,
            path=path,
            row=row,
            field=field,
            value=value,
            rule=self.id,
            message=text,
            related_rows=related_rows,
            severity=self.severity,
        )
