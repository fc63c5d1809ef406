"""UI text of the scenarios pages (merged into ui.i18n)."""

EN: dict[str, str] = {}
JA: dict[str, str] = {}
