"""UI text of the data pages (merged into ui.i18n)."""

EN: dict[str, str] = {}
JA: dict[str, str] = {}
