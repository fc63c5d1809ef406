"""The session's scenario and the cached model results.

The current scenario lives in ``st.session_state["scenario_json"]`` as its JSON dict (spec
section 2); the baseline it was loaded from in ``"baseline_json"``. Widgets never own a value:
before each widget is drawn, :func:`bind` copies the value from the scenario dict into the
widget's key, and the widget's ``on_change`` callback writes the user's value back (a callback
runs before the script, so the whole page sees the edit). An edit that makes the scenario
invalid stays in the dict, so the widget keeps showing it, and :func:`current` returns the
:class:`ScenarioError` for the page to show.

Model results are cached with ``st.cache_data`` keyed on the scenario's canonical JSON text.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st

from model import Plan, Scenario, ScenarioError, parse_scenario, run_plan
from model.responsibility import DivisionView, responsibility
from model.uncertainty import Bands, MonteCarlo, Sensitivity, bands, monte_carlo, sensitivity

from . import i18n

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_SCENARIO = ROOT / "data" / "sample_scenario.json"
FALLBACK_SCENARIO = ROOT / "examples" / "fy2027-plan.json"
MC_DRAWS = 2000
MC_SEED = 0
CURRENCY_CHOICES = ("JPY", "USD", "EUR")

Path_ = tuple[str | int, ...]


# ----- loading and initialisation ---------------------------------------------------------------
def default_scenario_file() -> Path:
    """The scenario the app opens on: the sample data's baseline once it exists."""
    return SAMPLE_SCENARIO if SAMPLE_SCENARIO.is_file() else FALLBACK_SCENARIO


@st.cache_data(max_entries=4, show_spinner=False)
def _read_json(path: str, mtime: float) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8-sig"))


def load_default() -> dict[str, Any]:
    path = default_scenario_file()
    return copy.deepcopy(_read_json(str(path), path.stat().st_mtime))


def init() -> None:
    """Set every session key the app uses, once per session (the one place state is created)."""
    ss = st.session_state
    if "scenario_json" not in ss:
        data = load_default()
        ss["baseline_json"] = copy.deepcopy(data)
        ss["scenario_json"] = data
        ss["data_source"] = "sample"
        ss[DATASET] = "sample"  # db.datasets.SAMPLE: a new session never starts on an import
        ss[ACTIVE_REF] = None
        _open_shared_link()  # a shared link's language, page and saved scenario
    if "lang" not in ss:
        ss["lang"] = i18n.default_language(st.context.locale)


def reset() -> None:
    """Back to the baseline scenario (a button callback)."""
    st.session_state["scenario_json"] = copy.deepcopy(st.session_state["baseline_json"])


CURRENCY_ASKED = "currency_asked"  # the currency the sidebar asked for, until the dialog answers
CURRENCY_RATES = "currency_rates"  # {(from, to): rate} the user converted at in this session


def ask_currency(code: str) -> None:
    """The sidebar's currency choice (a callback): nothing changes yet; the dialog
    (:func:`ui.currency.ask`) asks whether to convert the amounts or relabel them."""
    ss = st.session_state
    if code and code != draft().get("currency", "JPY"):
        ss[CURRENCY_ASKED] = code
    else:
        ss.pop(CURRENCY_ASKED, None)


def set_currency(code: str, rate: float | None = None) -> None:
    """Put the scenario in currency ``code``: every amount converted at ``rate`` (1 unit of the
    current currency = ``rate`` of ``code``), or with ``rate`` None only relabelled (the amounts
    were in ``code`` already); the change is recorded in the scenario's notes
    (:func:`ui.currency.change_currency`). The baseline, when it is in the same currency,
    changes the same way, so comparisons with it and a reset stay in one currency."""
    from datetime import UTC, datetime

    from .currency import change_currency

    ss = st.session_state
    old = draft().get("currency", "JPY")
    when = datetime.now(UTC)
    if baseline().get("currency", "JPY") == old:
        ss["baseline_json"] = change_currency(baseline(), code, rate, when)
    ss["scenario_json"] = change_currency(draft(), code, rate, when)
    if rate is not None:  # the way back is offered at the inverse of the rate last typed
        ss.setdefault(CURRENCY_RATES, {}).update({(old, code): rate, (code, old): 1.0 / rate})
    ss.pop(CURRENCY_ASKED, None)


def data_currency() -> str:
    """The currency the CRM data's amounts are in (and the plan of record built from them):
    the currency the session's scenario was first converted from, else the scenario's own. A
    relabel before any conversion relabels the data too (the scenario's amounts were the
    data's, and they were in the new currency already); one after a conversion does not. See
    :func:`ui.currency.data_currency`."""
    from .currency import data_currency as of

    return of(draft())


def data_rate() -> float | None:
    """How many of the scenario's currency one unit of :func:`data_currency` is, from the
    conversions the scenario records (1.0 without one); None when they do not lead to its
    currency. See :func:`ui.currency.data_rate`."""
    from .currency import data_rate as of

    return of(draft())


def typed_rate(frm: str, to: str) -> float | None:
    """The rate from ``frm`` to ``to`` this session last converted at (or the inverse of the
    last one from ``to`` to ``frm``), or None: the dialog never offers a rate the user did not
    type."""
    return (st.session_state.get(CURRENCY_RATES) or {}).get((frm, to))


def draft() -> dict[str, Any]:
    return st.session_state["scenario_json"]


def baseline() -> dict[str, Any]:
    return st.session_state["baseline_json"]


def scenario_name(data: dict[str, Any]) -> str:
    """A scenario's name as the session reads it: the built-in sample's name in the session's
    language (its JSON name is English, and the Japanese sidebar and file names showed it),
    any other name as it was saved; "" for none."""
    from db.sample import SAMPLE_NAME

    name = str(data.get("name") or "")
    return i18n.t("sample.scenario_name") if name == SAMPLE_NAME else name


def canonical(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


# ----- reading and writing values by path ---------------------------------------------------------
def stage_index(data: dict[str, Any], key: str) -> int:
    for i, s in enumerate(data["stages"]):
        if s.get("key") == key:
            return i
    raise KeyError(key)


def get_in(data: dict[str, Any], path: Path_, default: Any = None) -> Any:
    node: Any = data
    for p in path:
        try:
            node = node[p]
        except (KeyError, IndexError, TypeError):
            return default
    return default if node is None else node


def set_in(data: dict[str, Any], path: Path_, value: Any) -> None:
    node: Any = data
    for p in path[:-1]:
        if isinstance(node, dict) and (p not in node or node[p] is None):
            node[p] = {}
        node = node[p]
    node[path[-1]] = value


def param_value(
    data: dict[str, Any], path: Path_, end: str = "base", default: float = 0.0
) -> float:
    """A parameter's value at ``end`` (low/base/high); a plain number is the same at every end."""
    v = get_in(data, path, default)
    if isinstance(v, dict):
        return float(v.get(end, v.get("base", default)))
    if isinstance(v, list):
        return float(sum(v) / len(v)) if v else default
    return float(v)


def set_param(
    data: dict[str, Any],
    path: Path_,
    value: float,
    end: str = "base",
    upper: float | None = None,
    keep_range: bool = False,
) -> None:
    """Set a parameter at ``end``. Setting low/high of a plain number makes it a range.

    Moving the base of a range moves the whole range with it (the same distances below and
    above, kept within 0 and ``upper``): a planner who tries a 24% win rate means "24%, give or
    take as before", and a range left behind the base would be invalid (low above base).
    With ``keep_range`` (a range its division set itself) the range stays where it is and only
    the end the base passes is moved to the base."""
    current = get_in(data, path)
    if isinstance(current, dict):
        new = dict(current)
        if end == "base" and keep_range:
            low = min(float(new.get("low", value)), value)
            high = max(float(new.get("high", value)), value)
            new.update(low=_clean(low), high=_clean(high))
        elif end == "base":
            shift = value - float(new.get("base", value))
            low = max(0.0, min(float(new.get("low", value)) + shift, value))
            high = max(float(new.get("high", value)) + shift, value)
            if upper is not None:
                high = min(high, max(upper, value))
            new.update(low=_clean(low), high=_clean(high))
        new[end] = value
        if new["low"] == new["base"] == new["high"]:
            set_in(data, path, value)
        else:
            set_in(data, path, new)
    elif end == "base":
        set_in(data, path, value)
    else:
        b = float(current) if isinstance(current, int | float) else 0.0
        new = {"low": b, "base": b, "high": b}
        new[end] = value
        set_in(data, path, new if not (new["low"] == new["base"] == new["high"]) else b)


def _clean(x: float) -> float:
    return float(round(x, 10))


OWN_RANGES = "own_ranges"  # JSON paths whose low/high a division set on the Divisions page
RANGE_MOVED = "range_moved"  # the last edit of a base that moved (or widened) its range


def _ends(v: Any) -> tuple[float, float] | None:
    return (float(v["low"]), float(v["high"])) if isinstance(v, dict) else None


def _apply(key: str, path: Path_, scale: float, end: str) -> None:
    value = st.session_state[key]
    if value is None:  # a cleared number input: keep the scenario as it is
        return
    upper = 1.0 if scale == 100 else None  # a rate shown in percent
    ss = st.session_state
    own = ss.setdefault(OWN_RANGES, set())
    where = json.dumps(list(path))
    if end != "base":
        own.add(where)  # the division's own range: a later edit of its base leaves it be
        set_param(draft(), path, _clean(float(value) / scale), end, upper)
        return
    before = _ends(get_in(draft(), path))
    set_param(draft(), path, _clean(float(value) / scale), end, upper, keep_range=where in own)
    after = _ends(get_in(draft(), path))
    ss.pop(RANGE_MOVED, None)
    if before is not None and after is not None and before != after:
        ss[RANGE_MOVED] = {"path": list(path), "before": before, "after": after,
                           "own": where in own}  # fmt: skip


def bind(key: str, path: Path_, scale: float = 1.0, end: str = "base", default: float = 0.0):
    """Keyword arguments that tie a numeric widget to a scenario parameter.

    The widget's value is the parameter times ``scale`` (100 for a rate shown in percent).
    """
    shown = param_value(draft(), path, end, default) * scale
    st.session_state[key] = _clean(shown)
    return {"key": key, "on_change": _apply, "args": (key, path, scale, end)}


def bind_custom(key: str, value: Any, apply: Callable[[Any], None]):
    """Keyword arguments for a widget whose edit is not a plain parameter (target kind, text)."""
    st.session_state[key] = value

    def _cb() -> None:
        apply(st.session_state[key])

    return {"key": key, "on_change": _cb}


# ----- the model, cached ------------------------------------------------------------------------
@dataclass(frozen=True)
class Current:
    """The session's scenario parsed and planned, or the error that stops it."""

    scenario: Scenario | None
    plan: Plan | None
    error: ScenarioError | None
    text: str  # the canonical JSON (the cache key of everything derived)

    @property
    def ok(self) -> bool:
        return self.plan is not None


@st.cache_data(max_entries=64, show_spinner=False)
def _plan(text: str) -> tuple[Scenario | None, Plan | None, ScenarioError | None]:
    try:
        scenario = parse_scenario(json.loads(text))
        return scenario, run_plan(scenario), None
    except ScenarioError as exc:  # cached (pickled) with its code and params
        return None, None, exc


def plan_of(data: dict[str, Any]) -> Current:
    text = canonical(data)
    scenario, plan, err = _plan(text)
    return Current(scenario, plan, err, text)


def current() -> Current:
    """The current scenario's plan (cached)."""
    return plan_of(draft())


def baseline_plan() -> Current:
    return plan_of(baseline())


def current_inflow_plan(data: dict[str, Any]) -> Current:
    """The scenario run forward at its stated inflow (the target removed): what the current
    run-rate delivers, against which the gap to the target is measured."""
    fwd = copy.deepcopy(data)
    fwd.pop("target", None)
    return plan_of(fwd)


@st.cache_data(max_entries=32, show_spinner=False)
def _monte_carlo(text: str, draws: int, seed: int) -> MonteCarlo:
    scenario = parse_scenario(json.loads(text))
    return monte_carlo(scenario, draws=draws, seed=seed, plan=_plan(text)[1])


def monte_carlo_of(cur: Current, draws: int = MC_DRAWS, seed: int = MC_SEED) -> MonteCarlo:
    return _monte_carlo(cur.text, draws, seed)


@st.cache_data(max_entries=32, show_spinner=False)
def _sensitivity(text: str, step: str) -> Sensitivity:
    return sensitivity(parse_scenario(json.loads(text)), _plan(text)[1], step=step)


def sensitivity_of(cur: Current, step: str = "range") -> Sensitivity:
    """The tornado over the committed ranges (spec v2), or ``step="point"`` (v1's +1 point)."""
    return _sensitivity(cur.text, step)


@st.cache_data(max_entries=32, show_spinner=False)
def _bands_and_views(text: str) -> tuple[Bands, tuple[DivisionView, ...]]:
    scenario = parse_scenario(json.loads(text))
    plan = _plan(text)[1]
    band = bands(scenario, plan)
    return band, responsibility(scenario, plan, band)


def bands_of(cur: Current) -> Bands:
    return _bands_and_views(cur.text)[0]


def divisions_of(cur: Current) -> tuple[DivisionView, ...]:
    return _bands_and_views(cur.text)[1]


_REF = __import__("re").compile(r"^stages\[(?P<stage>[^\]]+)\]\.(?P<field>\w+)$")


def json_path(data: dict[str, Any], ref_path: str) -> Path_:
    """The JSON-dict path of a model parameter path (``stages[lead].conversion`` ->
    ``("stages", 1, "conversion")``, ``customers.renewal_rate`` -> ``("customers", ...)``)."""
    m = _REF.match(ref_path)
    if m:
        return ("stages", stage_index(data, m.group("stage")), m.group("field"))
    return tuple(ref_path.split("."))


# ----- where the app keeps its files ------------------------------------------------------------
def home() -> Path:
    """The folder holding the app's databases: ``$PLANNER_HOME``, else ``.planner/`` in the
    working folder (git-ignored). ``datasets/`` holds the imported CRM data, a DuckDB file per
    dataset (one writer: this server; ``db.datasets``); ``scenarios.duckdb`` the saved scenario
    versions (``db.scenarios.ScenarioStore``, safe across sessions and processes)."""
    import os

    folder = Path(os.environ.get("PLANNER_HOME") or Path.cwd() / ".planner")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# ----- saved scenarios, the active one, and shared links (the Scenarios page) -------------------
STORE_FILE = "scenarios.duckdb"
ACTIVE_REF = "active_ref"  # (name, version) of the saved version loaded or saved last, or None
ACTIVE_SOURCE = "active_source"  # a label of where the current scenario came from
ACTIVE_TEXT = "active_text"  # its canonical JSON when it was activated (to tell edits apart)
URL_PROBLEM = "url_problem"  # (catalog key, placeholders) of a shared link that did not open
SHARE_KEYS = ("page", "scenario", "v", "lang", "present")
_PAGE_RE = __import__("re").compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_VERSION = 1_000_000


def scenario_store() -> Any:
    """The saved scenario versions: the PostgreSQL database of ``$PLANNER_STORE`` (a
    ``postgresql://`` URL, one store for several app servers) or else the DuckDB file
    ``home()/scenarios.duckdb`` (safe across sessions and processes of one machine)."""
    import os

    from db.scenarios import is_store_url, open_store

    target = os.environ.get("PLANNER_STORE") or ""
    if is_store_url(target):
        return _pg_store(target)
    return open_store(target or home() / STORE_FILE)


@st.cache_resource(show_spinner=False)
def _pg_store(url: str) -> Any:
    """One PostgreSQL store object per URL for the server (it keeps a connection per thread)."""
    from db.scenarios import open_store

    return open_store(url)


def activate(data: dict[str, Any], source_label: str, ref: tuple[str, int] | None = None) -> None:
    """Make ``data`` the session's current scenario (a loaded or imported version); ``ref`` is
    its (name, version) in the store, which the URL then carries."""
    ss = st.session_state
    ss["scenario_json"] = copy.deepcopy(data)
    ss[ACTIVE_REF] = (str(ref[0]), int(ref[1])) if ref is not None else None
    ss[ACTIVE_SOURCE] = source_label
    ss[ACTIVE_TEXT] = canonical(data)
    ss.pop(URL_PROBLEM, None)


def active_ref() -> tuple[str, int] | None:
    return st.session_state.get(ACTIVE_REF)


def edited_since_activated() -> bool:
    """True when the current scenario differs from the version last loaded or saved."""
    text = st.session_state.get(ACTIVE_TEXT)
    return text is not None and text != canonical(draft())


def parse_share_params(params: Any) -> tuple[dict[str, Any], list[str]]:
    """The shared-link values of a URL's query parameters, validated: ``page`` (a page file's
    name), ``scenario`` (a store name), ``v`` (a version ≥ 1), ``lang`` (a catalog). Returns the
    valid values and the names of the parameters that were present but invalid."""
    good: dict[str, Any] = {}
    bad: list[str] = []
    for key in SHARE_KEYS:
        raw = params.get(key) if hasattr(params, "get") else None
        if raw is None or raw == "":
            continue
        value = str(raw)
        if key == "lang":
            ok = value in i18n.CATALOGS
        elif key == "present":
            ok = value in ("0", "1")
        elif key == "page":
            ok = bool(_PAGE_RE.match(value)) and (ROOT / "pages" / f"{value}.py").is_file()
        elif key == "v":
            ok = value.isascii() and value.isdigit() and 1 <= int(value) <= MAX_VERSION
            value = int(value) if ok else value
        else:  # scenario: the store's own rule for names
            name = value.strip()
            ok = 0 < len(name) <= 120 and not any(ord(c) < 32 for c in name)
            value = name
        if ok:
            good[key] = value
        else:
            bad.append(key)
    return good, bad


class _Worded:
    """An error worded when its message is shown, in the session's language then (a shared
    link is read before the session's language is settled); already markdown-safe."""

    def __init__(self, exc: BaseException) -> None:
        self.exc = exc

    def __format__(self, spec: str) -> str:
        from ui.errors import error_text

        return error_text(self.exc, where=False)


def _open_shared_link() -> None:
    """At the start of a session: apply a shared link's language, page and saved scenario.

    An unknown scenario or version, or an invalid value, leaves the default scenario and sets
    ``URL_PROBLEM`` for the sidebar to show; it never raises."""
    from db.errors import DatabaseDamagedError, DataLayerError

    ss = st.session_state
    try:
        params = {k: st.query_params.get(k) for k in SHARE_KEYS}
    except Exception:  # no browser URL (bare mode)
        return
    good, bad = parse_share_params(params)
    if "lang" in good:
        ss["lang"] = good["lang"]
    if "present" in good:
        ss["present"] = good["present"] == "1"  # ui.present.PRESENT: a meeting's link
    if good.get("page"):
        ss["_deep_link"] = f"pages/{good['page']}.py"  # ui.common.DEEP_LINK, followed by app.py
    problem = ("share.bad_param", {"params": ", ".join(bad)}) if bad else None
    if "scenario" in good and "v" not in bad:  # a bad version opens nothing, not the latest
        name, version = good["scenario"], good.get("v")
        try:
            record = scenario_store().record(name, version)
        except DatabaseDamagedError as exc:  # the store's fault, not the link's: say which
            problem = ("share.store_damaged", {"name": name, "version": version or "—",
                                               "path": exc.path})  # fmt: skip
        except DataLayerError as exc:
            problem = ("share.unknown", {"name": name, "version": version or "—"})
            if exc.code == "scenario_invalid":  # beyond the model's limits (saved before them)
                problem = ("share.invalid", {**problem[1], "reason": _Worded(exc)})
        else:
            activate(record["scenario"], "saved", (record["name"], record["version"]))
    if problem is not None:
        ss[URL_PROBLEM] = problem


def share_params(page: str | None = None) -> dict[str, str]:
    """The query parameters of a link to this view: page, saved scenario and version, language."""
    out: dict[str, str] = {}
    if page:
        out["page"] = page
    ref = active_ref()
    if ref is not None:
        out["scenario"], out["v"] = ref[0], str(ref[1])
    out["lang"] = i18n.lang()
    if st.session_state.get("present"):  # ui.present.PRESENT: the link opens presenting
        out["present"] = "1"
    return out


def share_link(page: str | None = None) -> str:
    """The link a colleague on this server opens to see the same view (the app's address, from
    ``st.context.url``, with :func:`share_params`; just the query string outside a browser)."""
    from urllib.parse import urlencode, urlsplit, urlunsplit

    query = urlencode(share_params(page))
    try:
        url = st.context.url
    except Exception:
        url = None
    if not url:
        return f"?{query}"
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/", query, ""))


def sync_url(page: str | None) -> None:
    """Keep the address bar a share link once a saved scenario is active (app.py calls this)."""
    if active_ref() is None:
        return
    want = share_params(page)
    if {k: st.query_params.get(k) for k in st.query_params} != want:
        st.query_params.from_dict(want)


def url_problem() -> tuple[str, dict[str, Any]] | None:
    return st.session_state.get(URL_PROBLEM)


# ----- datasets: the funnel data a session reads (data pages) -----------------------------------
DATASET = "dataset"  # the id of the session's dataset (db.datasets.SAMPLE at the start)
DATASET_GONE = "dataset_gone"  # the name of a dataset removed while this session was on it
SAMPLE_KEY = ":sample:"  # the cache key of the built-in sample's in-memory database


LEGACY_FUNNEL = "funnel.duckdb"  # the one funnel database of the app before datasets
LEGACY_NAME = "funnel.duckdb (before datasets)"


@st.cache_resource(max_entries=8, show_spinner=False)
def _adopt_legacy(folder: str) -> bool:
    """Once per server and planner folder: an imported ``funnel.duckdb`` of an older version
    becomes a dataset (nobody's session opens on it by default any more)."""
    from db.datasets import Datasets

    legacy = Path(folder) / LEGACY_FUNNEL
    return legacy.is_file() and Datasets(folder).adopt(legacy, LEGACY_NAME) is not None


def datasets() -> Any:
    """The imported datasets (``home()/datasets``: a DuckDB file each and their index)."""
    from db.datasets import Datasets

    _adopt_legacy(str(home()))
    return Datasets(home())


def _close_quietly(con: Any) -> None:
    try:
        con.close()
    except Exception:  # already closed with its database
        pass


@st.cache_resource(max_entries=64, show_spinner=False)
def _funnel_database(path: str) -> Any:
    """The server's one connection to a dataset's database file, or (``SAMPLE_KEY``) to the
    sample company loaded in memory, which nothing writes. Not closed when the cache lets it
    go: sessions' cursors may still read it, and it closes once the last of them is gone."""
    from db.datasets import open_dataset_file
    from db.sample import open_sample_database

    if path == SAMPLE_KEY:
        return open_sample_database()
    return open_dataset_file(path)  # locked or damaged: the project's own error, not cached


@st.cache_resource(scope="session", max_entries=8, show_spinner=False, on_release=_close_quietly)
def _session_cursor(path: str) -> Any:
    return _funnel_database(path).cursor()


def dataset_id() -> str:
    """The session's dataset; back to the sample when it was removed meanwhile (the sidebar
    then says so)."""
    from db.datasets import SAMPLE

    ss = st.session_state
    chosen = ss.get(DATASET, SAMPLE)
    if chosen != SAMPLE and not datasets().exists(chosen):
        ss[DATASET_GONE] = ss.get("dataset_name", chosen)
        chosen = ss[DATASET] = SAMPLE
    ss[DATASET] = chosen
    return chosen


def dataset_key(dataset: str) -> str:
    """The cache key of a dataset's database: its file's path, or ``SAMPLE_KEY``."""
    from db.datasets import SAMPLE

    return SAMPLE_KEY if dataset == SAMPLE else str(datasets().get(dataset).path)


def dataset_name(dataset: str) -> str:
    """A dataset's name as users gave it (the sample's in the session's language)."""
    from db.datasets import SAMPLE

    if dataset == SAMPLE:
        return i18n.t("source.sample")
    try:
        return datasets().get(dataset).name
    except Exception:  # removed meanwhile
        return dataset


def choose_dataset(dataset: str) -> None:
    """Make ``dataset`` the one this session's data pages read (a sidebar callback)."""
    st.session_state[DATASET] = dataset
    st.session_state["dataset_name"] = dataset_name(dataset)
    st.session_state.pop(DATASET_GONE, None)


def funnel_of(dataset: str) -> Any:
    """This session's cursor on a dataset's database: TEMP tables and registered files on it
    are private to the session, and its transactions are its own. Raises
    ``db.errors.DatabaseLockedError`` when another process holds the file. When the file is
    damaged (cut short, garbage, failing its checksums) the page says so in the session's
    language (``dataset_damaged``: which file, what to do) and stops."""
    from db.errors import DatabaseDamagedError

    try:
        return _session_cursor(dataset_key(dataset))
    except DatabaseDamagedError as exc:
        from ui.errors import error_text

        st.error(error_text(exc))
        st.stop()


MAPPINGS_FILE = "mappings.duckdb"


def mappings() -> Any:
    """This session's cursor on the saved column mappings (``home()/mappings.duckdb``): they are
    the server's, shared by every dataset, so a mapping saved for one import serves the next."""
    return _session_cursor(str(home() / MAPPINGS_FILE))


def funnel() -> Any:
    """This session's cursor on its own dataset's database (the sample at the start: a new
    session never sees another session's import unless it chooses that dataset)."""
    return funnel_of(dataset_id())


def _stamp(path: str) -> tuple:
    out = []
    for p in (path, path + ".wal"):
        try:
            s = Path(p).stat()
            out.append((s.st_mtime_ns, s.st_size))
        except FileNotFoundError:
            out.append(None)
    return tuple(out)


@st.cache_data(max_entries=64, show_spinner=False)
def _fingerprint(key: str, stamp: tuple) -> str:
    from db.funnel import fingerprint

    return fingerprint(_funnel_database(key).cursor())


def dataset_fingerprint(dataset: str) -> str | None:
    """The fingerprint of a dataset's data now (``db.funnel.fingerprint``), recomputed when its
    file changes; None when the dataset is gone."""
    from db.errors import DataLayerError

    try:
        key = dataset_key(dataset)
    except DataLayerError:
        return None
    return _fingerprint(key, () if key == SAMPLE_KEY else _stamp(key))


def remove_dataset(dataset: str) -> None:
    """Remove an imported dataset (its file and its entry); the session goes back to the
    sample. The server lets go of its connection; other sessions still on it fall back to the
    sample on their next run (``dataset_id``)."""
    from db.datasets import SAMPLE

    path = str(datasets().get(dataset).path)
    _funnel_database.clear(path)
    datasets().remove(dataset)
    if st.session_state.get(DATASET) == dataset:
        choose_dataset(SAMPLE)


def provenance(dataset: str) -> dict[str, Any]:
    """What a scenario built from ``dataset`` records in its ``notes`` (the model ignores them):
    the dataset's id and name and its data's fingerprint at that moment."""
    from db.datasets import SAMPLE

    return {"id": dataset, "name": dataset_name(dataset) if dataset != SAMPLE else "sample",
            "fingerprint": dataset_fingerprint(dataset)}  # fmt: skip


def data_changed() -> tuple[str, str] | None:
    """Whether the current scenario's data moved on since it was built: ``("changed", name)``
    when its dataset's fingerprint differs from the one in its notes, ``("removed", name)``
    when the dataset is gone, ``("damaged", name)`` when its file cannot be read; None when it
    is the same or the scenario records no dataset."""
    status = data_status(draft())
    return None if status is None or status[0] == "same" else status


def data_status(data: dict[str, Any]) -> tuple[str, str] | None:
    """What became of the data a scenario was built from (its ``notes.dataset``): ``same``,
    ``changed``, ``removed`` or ``damaged``, with the dataset's name; None when it records
    none (a scenario typed by hand, or older than datasets)."""
    made = get_in(data, ("notes", "dataset"))
    if not isinstance(made, dict) or not made.get("id") or not made.get("fingerprint"):
        return None
    name = str(made.get("name") or made["id"])
    from db.errors import DatabaseDamagedError

    try:
        now = dataset_fingerprint(str(made["id"]))
    except DatabaseDamagedError:  # its file cannot be read: said here, explained on the pages
        return ("damaged", name)
    if now is None:
        return ("removed", name)
    return ("changed", name) if now != made["fingerprint"] else ("same", name)


def use_baseline(scenario: dict[str, Any], source: str, name: str = "") -> None:
    """Make ``scenario`` the session's baseline and current scenario; ``source`` (``sample`` or
    ``imported``) and ``name`` (the imported files) say where its data came from."""
    ss = st.session_state
    ss["baseline_json"] = copy.deepcopy(scenario)
    ss["scenario_json"] = copy.deepcopy(scenario)
    ss["data_source"] = source
    ss["data_source_name"] = name
