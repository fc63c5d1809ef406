"""The one error type of the model: invalid input, always naming the field."""

from __future__ import annotations


class ScenarioError(ValueError):
    """An invalid scenario or an infeasible target.

    ``field`` is the JSON path of the offending value (``stages[1].conversion``), so the CLI
    prints it and a page can highlight the widget that set it.
    """

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.reason = message
        super().__init__(f"{field}: {message}")
