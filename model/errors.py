"""The model's error type (invalid input, always naming the field) and its warnings."""

from __future__ import annotations

from typing import Any


class ScenarioError(ValueError):
    """An invalid scenario or an infeasible target.

    ``field`` is the JSON path of the offending value (``stages[1].conversion``), so the CLI
    prints it and a page can highlight the widget that set it. ``reason`` is the English sentence
    the CLI prints after it; ``code`` and ``params`` (the numbers as numbers, names as keys) say
    the same for a page to word it in the user's language (the ``model_error.<code>`` texts).
    """

    def __init__(
        self, field: str, message: str, code: str = "", params: dict[str, Any] | None = None
    ) -> None:
        self.field = field
        self.reason = message
        self.code = code
        self.params = dict(params or {})
        super().__init__(f"{field}: {message}")

    def __reduce__(self) -> tuple[Any, ...]:  # pickling (Streamlit's cache) keeps every part
        return (ScenarioError, (self.field, self.reason, self.code, self.params))


class PlanWarning(str):
    """A plan's warning: the sentence the spec words (it *is* that str, so JSON and the CLI print
    it as is), with a machine ``code`` and the numbers in it as ``params``, so a page can say it
    in the user's language."""

    code: str
    params: dict[str, Any]

    def __new__(cls, code: str, text: str, params: dict[str, Any] | None = None) -> PlanWarning:
        obj = super().__new__(cls, text)
        obj.code = code
        obj.params = dict(params or {})
        return obj

    def __reduce__(self) -> tuple[Any, ...]:  # pickling (Streamlit's cache) keeps code and params
        return (PlanWarning, (self.code, str(self), self.params))
