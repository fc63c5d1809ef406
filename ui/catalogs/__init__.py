"""Extra UI text catalogs, one module per area (each with ``EN`` and ``JA`` dicts), merged into
:mod:`ui.i18n`'s catalogs. Keys must not collide across modules (checked at import)."""
