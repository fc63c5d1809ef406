"""Changing a scenario's currency (issue 12): convert every amount at a rate the user types, or
relabel knowingly (the amounts were in the new currency already), or leave it as it is.

The pure part (no streamlit): :data:`MONEY_FIELDS` lists where the scenario JSON (spec section 2,
section 8 and what the app records in ``notes``) holds an amount; :func:`convert` multiplies each
by the rate; :func:`change_currency` also sets ``currency`` and records the change in the
scenario's ``notes.currency_changes`` (from, to, rate, when) so a reader can see it was
converted. Counts (wins, inflow, heads, opening stock) and rates are never touched.

The dialog (:func:`ask`) is opened by the sidebar's currency selectbox (``app.py``).
"""

from __future__ import annotations

import copy
import datetime as dt
import math
from collections.abc import Iterator
from typing import Any

MAX_RATE = 1e6
"""The largest rate accepted (1 unit = 10^6 of the other: no real pair comes near it)."""
SIGNIFICANT = 12
"""Converted amounts keep 12 significant figures: ``0.1 * 3`` does not leave a
``0.30000000000000004`` in the scenario, and a round trip at rate then 1/rate comes back to the
original within 1e-11 relative."""
NOTES_KEY = "currency_changes"

Path_ = tuple[str, ...]

# Where the amounts are. A ``*`` stands for every key of the object there (a stage of
# ``costs.per_arrival``, a division of ``capacity``). Each value is a number, a range
# ``{low, base, high}`` or a list of monthly numbers.
MONEY_FIELDS: tuple[Path_, ...] = (
    ("deal", "size"),  # bookings per win (its range ends too)
    ("customers", "opening_mrr"),  # the existing base's monthly recurring revenue
    ("costs", "per_inflow"),
    ("costs", "per_arrival", "*"),
    ("costs", "fixed_monthly"),
    ("capacity", "*", "cost_per_head"),
    # what the app records beside a scenario: a baseline's marketing spend, a re-forecast's
    # actual to date and outlook
    ("notes", "costs", "spend"),
    ("notes", "reforecast", "actual_to_date", "bookings"),
    ("notes", "reforecast", "actual_to_date", "revenue"),
    ("notes", "reforecast", "outlook", "bookings"),
    ("notes", "reforecast", "outlook", "revenue"),
)
MONEY_TARGETS = ("bookings", "revenue")  # a wins target is a count


def _expand(node: Any, pattern: Path_, prefix: Path_ = ()) -> Iterator[Path_]:
    if not pattern:
        yield prefix
        return
    if not isinstance(node, dict):
        return
    head, rest = pattern[0], pattern[1:]
    for key in node if head == "*" else (head,):
        if key in node and node[key] is not None:
            yield from _expand(node[key], rest, (*prefix, key))


def money_paths(data: dict[str, Any]) -> list[Path_]:
    """The paths of the amounts ``data`` holds (only those present): :data:`MONEY_FIELDS`, and
    ``target.total`` / ``target.monthly`` when the target is bookings or revenue."""
    paths = []  # the target first: the amount a planner looks for
    target = data.get("target")
    if isinstance(target, dict) and target.get("metric", "bookings") in MONEY_TARGETS:
        paths += [("target", k) for k in ("total", "monthly") if target.get(k) is not None]
    return paths + [p for pattern in MONEY_FIELDS for p in _expand(data, pattern)]


def rate_problem(rate: Any) -> str | None:
    """Why ``rate`` cannot convert (a catalog key), or None: it must be a finite number above
    zero and at most :data:`MAX_RATE`."""
    if rate is None:
        return "currency.rate_missing"
    if isinstance(rate, bool) or not isinstance(rate, int | float):
        return "currency.rate_invalid"
    if not math.isfinite(rate) or rate <= 0 or rate > MAX_RATE:
        return "currency.rate_invalid"
    return None


def _times(value: Any, rate: float) -> Any:
    """A number, a range or a list times ``rate``; anything else (text, a flag) as it is, for
    the model to report."""
    if isinstance(value, dict):
        return {k: _times(v, rate) for k, v in value.items()}
    if isinstance(value, list):
        return [_times(v, rate) for v in value]
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    return float(f"{value * rate:.{SIGNIFICANT}g}")


def _get(data: Any, path: Path_) -> Any:
    for p in path:
        data = data[p]
    return data


def convert(draft: dict[str, Any], rate: float) -> dict[str, Any]:
    """A copy of ``draft`` with every amount (:func:`money_paths`) times ``rate``: the amounts of
    1 old unit = ``rate`` new units. Counts and rates are left as they are, and so is
    ``currency`` (see :func:`change_currency`). Raises ValueError for a rate
    :func:`rate_problem` refuses."""
    if rate_problem(rate) is not None:
        raise ValueError(
            f"exchange rate must be a finite number in (0, {MAX_RATE:g}], got {rate!r}"
        )
    out = copy.deepcopy(draft)
    for path in money_paths(out):
        parent = _get(out, path[:-1])
        parent[path[-1]] = _times(parent[path[-1]], rate)
    return out


def change_currency(
    draft: dict[str, Any], to: str, rate: float | None, when: dt.datetime | None = None
) -> dict[str, Any]:
    """A copy of ``draft`` in currency ``to``: its amounts converted at ``rate`` (1 old unit =
    ``rate`` of ``to``), or with ``rate`` None relabelled (the numbers kept: they were in ``to``
    already). The change is appended to ``notes.currency_changes``."""
    out = copy.deepcopy(draft) if rate is None else convert(draft, rate)
    when = when or dt.datetime.now(dt.UTC)
    record = {
        "from": str(draft.get("currency", "JPY")),
        "to": to,
        "how": "relabelled" if rate is None else "converted",
        "rate": rate,
        "when": when.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
    }
    notes = out.get("notes") if isinstance(out.get("notes"), dict) else {}
    history = notes.get(NOTES_KEY) if isinstance(notes.get(NOTES_KEY), list) else []
    out["notes"] = {**notes, NOTES_KEY: [*history, record]}
    out["currency"] = to
    return out


def last_change(data: dict[str, Any]) -> dict[str, Any] | None:
    """The latest change recorded by :func:`change_currency` into ``data``'s currency, or
    None."""
    history = _changes(data)
    if not history or not isinstance(history[-1], dict):
        return None
    last = history[-1]
    return last if last.get("to") == data.get("currency", "JPY") else None


def _changes(data: dict[str, Any]) -> list[Any]:
    notes = data.get("notes")
    history = notes.get(NOTES_KEY) if isinstance(notes, dict) else None
    return history if isinstance(history, list) else []


def _conversions(data: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The recorded changes from the first conversion on, or None when they do not chain (a
    change not from the currency the one before went to, the last not to ``currency``, a
    conversion without a valid rate): a scenario whose notes were edited by hand."""
    history = _changes(data)
    first = next((i for i, c in enumerate(history)
                  if isinstance(c, dict) and c.get("how") == "converted"), None)  # fmt: skip
    if first is None:
        return []
    chain = history[first:]
    for i, c in enumerate(chain):
        if not isinstance(c, dict) or (i and c.get("from") != chain[i - 1].get("to")):
            return None
        if c.get("how") == "converted" and rate_problem(c.get("rate")) is not None:
            return None
    return chain if chain[-1].get("to") == data.get("currency", "JPY") else None


def data_currency(data: dict[str, Any]) -> str:
    """The currency the CRM data's amounts (and a plan of record built from them) are in, for a
    scenario ``data``: the ``from`` of its first conversion, else its own currency.

    A conversion leaves the data as it is (only the scenario's amounts are multiplied), so the
    data stays in the currency the scenario was converted from, whatever changes follow. A
    relabel says the amounts were in the new currency already: before any conversion the
    scenario's amounts are the data's (a baseline from the data), so a relabel relabels the
    data too (JPY relabelled to USD: the data is in USD); after a conversion it only renames
    the converted amounts, and the data keeps the currency of the first conversion."""
    history = _changes(data)
    first = next((c for c in history if isinstance(c, dict) and c.get("how") == "converted"), None)
    return str(first.get("from")) if first is not None else str(data.get("currency", "JPY"))


def data_rate(data: dict[str, Any]) -> float | None:
    """How many of the scenario's currency one unit of :func:`data_currency` is: the product of
    the rates of the conversions recorded since the first (a relabel after one keeps the
    numbers: a factor of 1); 1.0 without a conversion; None when the recorded changes do not
    lead to the scenario's currency (nothing may then be converted)."""
    chain = _conversions(data)
    if chain is None:
        return None
    return math.prod(float(c["rate"]) for c in chain if c.get("how") == "converted")


def data_note(data: dict[str, Any], lang: str) -> str | None:
    """A page's caption when it shows the CRM data's amounts and the scenario ``data`` is in
    another currency: the data's currency, the scenario's, and the rate between them when the
    scenario records it; None when the two are one currency."""
    from . import format as fm
    from .i18n import translate

    frm, cur = data_currency(data), str(data.get("currency", "JPY"))
    if frm == cur:
        return None
    rate, codes = data_rate(data), {"data": fm.inert(frm), "cur": fm.inert(cur)}
    if rate is None:
        return translate("currency.data_note_unknown", lang, **codes)
    return translate("currency.data_note", lang, rate=rate_text(rate), **codes)


# ----- what the dialog shows ----------------------------------------------------------------------
def amount_text(value: Any, lang: str, code: str) -> str:
    """An amount as the pages show it (:func:`ui.format.money`: ``85億円``, ``¥8.5B``, a cost
    per visitor of ``$0.478``); a range as ``base (low – high)``, a list of months as its
    total."""
    from . import format as fm
    from .i18n import translate

    if isinstance(value, dict):
        ends = [amount_text(value.get(e), lang, code) for e in ("base", "low", "high")]
        return f"{ends[0]} ({ends[1]} – {ends[2]})"
    if isinstance(value, list):
        total = amount_text(sum(v for v in value if isinstance(v, int | float)), lang, code)
        return translate("currency.list_total", lang, value=total, n=len(value))
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return str(value)
    return fm.money(float(value), lang, code)


def rate_text(rate: float) -> str:
    """A rate as typed, to eight significant figures (``0.0067``, ``149.25373``)."""
    return f"{rate:.8g}"


def field_label(path: Path_, data: dict[str, Any], lang: str) -> str:
    """An amount's name in words: ``Deal size``, ``Inside sales · Cost per head a month``,
    ``Spend per stage arrival · Leads``, ``Re-forecast: bookings actual to date (notes)``."""
    from .common import scenario_field_text
    from .i18n import has, translate

    stages = [s for s in data.get("stages") or [] if isinstance(s, dict)]
    if path[0] == "notes":
        if path[1] == "costs":
            return translate("currency.note.spend", lang)
        metric = translate(f"metric.{path[3]}", lang)
        return translate(f"currency.note.{path[2]}", lang, metric=metric)
    if path[:2] == ("costs", "per_arrival"):  # the stage by its name, not its key
        key = path[2]
        own = next((s.get("label") for s in stages if s.get("key") == key), None) or key
        stage = translate(f"stage.{key}", lang) if has(f"stage.{key}") else own
        return f"{scenario_field_text('costs.per_arrival', lang)} · {stage}"
    return scenario_field_text(".".join(path), lang, stages)


def preview(data: dict[str, Any], to: str, rate: float | None, lang: str) -> list[dict[str, str]]:
    """The amounts that change, one row each: its name, now, and converted at ``rate`` (``—``
    without a valid rate)."""
    from .i18n import translate

    frm = str(data.get("currency", "JPY"))
    after = convert(data, rate) if rate_problem(rate) is None else None
    cols = [translate("currency.col.amount", lang), translate("currency.col.now", lang, cur=frm),
            translate("currency.col.after", lang, cur=to)]  # fmt: skip
    return [
        {
            cols[0]: field_label(path, data, lang),
            cols[1]: amount_text(_get(data, path), lang, frm),
            cols[2]: "—" if after is None else amount_text(_get(after, path), lang, to),
        }
        for path in money_paths(data)
    ]


def example_amount(data: dict[str, Any]) -> Any:
    """The amount a relabel is shown on: the target's, else the deal size, else the first."""
    paths = money_paths(data)
    for path in (("target", "total"), ("deal", "size")):
        if path in paths:
            value = _get(data, path)
            return value.get("base") if isinstance(value, dict) else value
    return _get(data, paths[0]) if paths else 1_000_000


def change_text(change: dict[str, Any], lang: str) -> str:
    """The sidebar's line on the scenario's last currency change (from its notes)."""
    from . import format as fm
    from .i18n import translate

    frm, to = fm.inert(change.get("from", "")), fm.inert(change.get("to", ""))
    when = _date_text(change.get("when"), lang)
    rate = change.get("rate")
    if isinstance(rate, int | float) and not isinstance(rate, bool) and math.isfinite(rate):
        return translate("sidebar.currency_converted", lang, frm=frm, to=to,
                         rate=rate_text(rate), when=when)  # fmt: skip
    return translate("sidebar.currency_relabelled", lang, frm=frm, to=to, when=when)


def _date_text(when: Any, lang: str) -> str:
    from . import format as fm

    try:
        d = dt.date.fromisoformat(str(when)[:10])
    except ValueError:
        return "—"
    return f"{d.year}年{d.month}月{d.day}日" if lang == "ja" else (
        f"{d.day} {fm.MONTHS_EN[d.month - 1]} {d.year}")  # fmt: skip


# ----- the dialog -----------------------------------------------------------------------------
def ask() -> None:
    """The currency dialog, while the sidebar's choice (``state.CURRENCY_ASKED``) waits for an
    answer: convert at a typed rate, only relabel, or cancel (the currency stays)."""
    import streamlit as st

    from . import format as fm
    from . import state
    from .i18n import t

    to = st.session_state.get(state.CURRENCY_ASKED)
    frm = str(state.draft().get("currency", "JPY"))
    if not to or to == frm:
        st.session_state.pop(state.CURRENCY_ASKED, None)
        return
    title = t("currency.title", frm=fm.inert(frm), to=fm.inert(to))
    # 900 px (shrunk to fit a narrower window): a range in Japanese, 212万円 (194万円 – 228万円),
    # was cut in the 750 px of "medium" at 1024 px
    st.dialog(title, width=900, on_dismiss=_cancel)(_dialog_body)(frm, to)


def _cancel() -> None:
    import streamlit as st

    from . import state

    st.session_state.pop(state.CURRENCY_ASKED, None)


def _dialog_body(frm: str, to: str) -> None:
    import pandas as pd
    import streamlit as st

    from . import format as fm
    from . import state
    from .i18n import lang, t

    language, data = lang(), state.draft()
    codes = {"frm": fm.inert(frm), "to": fm.inert(to)}
    st.markdown(t("currency.intro", **codes))
    typed = state.typed_rate(frm, to)
    rate = st.number_input(
        t("currency.rate", **codes),
        value=typed,
        min_value=None,
        step=None,
        format="%.10g",
        placeholder=t("currency.rate_placeholder"),
        help=t("currency.rate_help"),
        key=f"currency.rate.{frm}.{to}",
    )
    problem = rate_problem(rate)
    if rate is not None and problem is not None:
        st.error(t(problem, max=fm.count(MAX_RATE, language)))
    elif rate is None:
        st.caption(t("currency.rate_missing"))
    elif typed is not None and rate == typed:
        st.caption(t("currency.rate_typed_before"))
    rows = preview(data, to, rate, language)
    frame = pd.DataFrame(rows)
    widths = zip(frame.columns, (290, 250, 270), strict=True)  # the amounts in full
    columns = {c: st.column_config.TextColumn(width=w) for c, w in widths}
    st.dataframe(frame, hide_index=True, width="stretch", column_config=columns)
    with st.container(horizontal=True):  # Cancel beside the main choice, in sight
        if st.button(t("currency.convert"), type="primary", disabled=problem is not None,
                     key="currency.convert"):  # fmt: skip
            state.set_currency(to, rate)
            st.rerun()
        if st.button(t("currency.cancel"), key="currency.cancel"):
            _cancel()
            st.rerun()
    st.caption(t("currency.convert_caption", n=len(rows), **codes))
    if st.button(t("currency.relabel", **codes), key="currency.relabel"):
        state.set_currency(to, None)
        st.rerun()
    example = example_amount(data)
    st.caption(t("currency.relabel_caption", before=fm.inert(amount_text(example, language, frm)),
                 after=fm.inert(amount_text(example, language, to)), **codes))  # fmt: skip
