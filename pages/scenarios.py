"""Scenarios: save the plan as a named version, its history (load, diff, archive), two to four
scenarios side by side, JSON import and export, a share link, and downloads of the plan
(Excel with live formulas, CSV, chart images)."""

from ui.common import require_frame

require_frame(__file__)

import copy
import datetime as dt
import json
import os
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
import streamlit as st

from db.errors import DataLayerError, ScenarioStoreError
from db.scenarios import diff_scenarios
from ui import charts, compare, exports, pdf, state
from ui.actuals import bridge_frame, bridge_rows, factor_label, waterfall_chart
from ui.common import (
    division_name,
    fmt,
    scenario_error_text,
    show_scenario_error,
    stage_name,
)
from ui.errors import error_text
from ui.format import inert
from ui.i18n import lang, t

F = fmt()
ss = st.session_state
store = state.scenario_store()
MAX_IMPORT_BYTES = 1_000_000
PAGE = "scenarios"
FLASH = "scn.flash"
STALE = "scn.stale"  # a save refused because its version is no longer the latest


def _stamp() -> tuple:
    """Changes whenever the store file does (any session or process writing it)."""
    out = []
    for path in (store.path, store.path + ".wal"):
        try:
            st_ = os.stat(path)
            out.append((st_.st_mtime_ns, st_.st_size))
        except FileNotFoundError:
            out.append(None)
    return tuple(out)


@st.cache_data(max_entries=256, show_spinner=False)
def _read(path: str, stamp: tuple, what: str, *args):
    """A read of the store, cached until its file changes."""
    return copy.deepcopy(getattr(state.scenario_store(), what)(*args))


def read(what: str, *args):
    """A read of the store: cached per file change for the embedded store; straight from the
    database for a shared PostgreSQL store, which other servers write without touching a file
    here (a read there takes milliseconds)."""
    if "://" in str(store.path):  # a postgresql:// store (its path is its URL)
        return copy.deepcopy(getattr(store, what)(*args))
    return _read(store.path, _stamp(), what, *args)


def flash(kind: str, key: str, **kw) -> None:
    """A message for the next run of the page (set by a callback)."""
    ss[FLASH] = (kind, key, kw)


def when(ts) -> str:
    """A saved time in the viewer's time zone (the browser's), else in UTC, saying so."""
    if isinstance(ts, str):  # a record's time comes as ISO text
        try:
            ts = dt.datetime.fromisoformat(ts)
        except ValueError:
            return ts
    if not hasattr(ts, "strftime"):
        return str(ts)
    utc = ts if ts.tzinfo is not None else ts.replace(tzinfo=dt.UTC)
    try:
        zone = ZoneInfo(st.context.timezone) if st.context.timezone else None
    except (ZoneInfoNotFoundError, ValueError, RuntimeError):
        zone = None
    if zone is None:
        return f"{utc:%Y-%m-%d %H:%M} UTC"
    return f"{utc.astimezone(zone):%Y-%m-%d %H:%M}"


def version_picker(label: str, numbers: list[int], key: str, index: int = 0) -> int:
    """A scenario's version numbers (newest first) to pick from, shown as ``v3``."""
    return st.selectbox(label, numbers, index=index, key=key, format_func=lambda v: f"v{v}")


def author() -> str:
    return (ss.get("scn.author") or "").strip()


def remember_author() -> None:
    ss["scn.author_value"] = ss.get("scn.author", "")


# ----- callbacks (run before the script, so the whole page sees their effect) ---------------------
def parent_of(name: str) -> int | None:
    """The version a save of ``name`` builds on: the one this session loaded or saved last;
    0 for a name someone else saved that this session never opened; None for a new name."""
    ref = state.active_ref()
    if ref is not None and ref[0] == name:
        return ref[1]
    return 0 if any(r["name"] == name for r in store.list()) else None


def save_current(force: bool = False) -> None:
    """Save the current scenario as the next version of the name typed. When someone saved
    that name since this session opened it (or it is someone else's name), nothing is saved:
    ``STALE`` holds the clash and the page asks to compare, save anyway or open theirs."""
    name = (ss.get("scn.save.name") or "").strip()
    if not name:
        return flash("error", "scn.need_name")
    if not author():
        return flash("error", "scn.need_author")
    data = copy.deepcopy(state.draft())
    data["name"] = name
    ss.pop(STALE, None)
    try:
        parent = parent_of(name)
        version = store.save(
            name,
            data,
            author=author(),
            note=ss.get("scn.save.note") or "",
            parent=parent,
            force=force,
        )
    except ScenarioStoreError as exc:
        if exc.code == "scenario_stale_parent":
            ss[STALE] = {"name": name, "parent": parent, "head": int(exc.params["head"])}
            return None
        return flash("error", "scn.save_failed", reason=error_text(exc))
    except DataLayerError as exc:
        return flash("error", "scn.save_failed", reason=error_text(exc))
    state.activate(data, "saved", (name, version))
    ss["scn.save.note"] = ""
    ss["scn.hist.name"] = name
    flash("success", "scn.saved", name=inert(name), version=version)


def load_version(name: str | None = None, version: int | None = None) -> None:
    """Make a saved version the active scenario: the one picked in the history, or ``name``
    and ``version`` (the latest version of a save that clashed)."""
    if name is None:
        name = ss.get("scn.hist.name")
        version = ss.get(f"scn.hist.version.{name}")
    ss.pop(STALE, None)
    try:
        record = store.record(name, version)
    except DataLayerError as exc:
        return flash("error", "scn.load_failed", reason=error_text(exc))
    state.activate(record["scenario"], "saved", (record["name"], record["version"]))
    flash("success", "scn.loaded", name=inert(name), version=version)


def set_archived(archived: bool) -> None:
    name = ss.get("scn.hist.name")
    if not author():
        return flash("error", "scn.need_author")
    try:
        (store.archive if archived else store.restore)(name, author=author())
    except DataLayerError as exc:
        return flash("error", "scn.save_failed", reason=error_text(exc))
    flash("success", "scn.archived" if archived else "scn.restored", name=inert(name))


def import_file() -> None:
    upload = ss.get("scn.import.file")
    if upload is None:
        return flash("error", "scn.import_none")
    if not author():
        return flash("error", "scn.need_author")
    raw = upload.getvalue()
    if len(raw) > MAX_IMPORT_BYTES:
        return flash("error", "scn.import_too_big", size=F.count(len(raw) / 1000))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return flash("error", "scn.import_invalid", reason=t("scn.not_utf8"))
    override = (ss.get("scn.import.name") or "").strip() or None
    try:
        name, version = store.import_json(text, author=author(), name=override)
        record = store.record(name, version)
    except DataLayerError as exc:
        return flash("error", "scn.import_invalid", reason=error_text(exc, where=False))
    state.activate(record["scenario"], "imported", (name, version))
    ss["scn.hist.name"] = name
    flash("success", "scn.imported", name=inert(name), version=version)


# ----- the header: the active scenario and its share link -----------------------------------------
st.title(t("scn.title"))


def stale_box(stale: dict) -> None:
    """A save that would hide someone's later version: who saved what since, the differences
    between theirs and this scenario, and the three ways on."""
    name, parent, head = stale["name"], stale["parent"], stale["head"]
    try:
        latest = store.record(name, head)
    except DataLayerError as exc:
        st.error(t("scn.save_failed", reason=error_text(exc)))
        return
    mine = copy.deepcopy(state.draft())
    mine["name"] = name
    with st.container(border=True, key="scn.stale.box"):
        who = {
            "name": inert(name),
            "head": head,
            "author": inert(latest["author"]),
            "when": when(latest["created_at"]),
        }
        if parent:
            st.warning(t("scn.stale", parent=parent, **who), icon=":material/warning:")
        else:
            st.warning(t("scn.stale_exists", **who), icon=":material/warning:")
        rows = diff_scenarios(latest["scenario"], mine)
        if rows:
            st.caption(t("scn.stale_diff", head=head))
            metric = (mine.get("target") or {}).get("metric")
            diff = compare.readable_diff(rows, F, metric).rename(
                columns={
                    "parameter": t("scn.col.parameter"),
                    "path": t("scn.col.path"),
                    "old": t("scn.col.theirs", v=head),
                    "new": t("scn.col.yours"),
                }
            )
            st.dataframe(diff, hide_index=True, width="stretch", key="scn.stale.diff")
        else:
            st.caption(t("scn.stale_same", head=head))
        b1, b2, b3 = st.columns(3)
        b1.button(
            t("scn.stale_save", next=head + 1),
            key="scn.stale.save",
            type="primary",
            on_click=save_current,
            kwargs={"force": True},
        )
        b2.button(
            t("scn.stale_open", head=head),
            key="scn.stale.open",
            on_click=load_version,
            args=(name, head),
        )
        b3.button(t("scn.stale_cancel"), key="scn.stale.cancel", on_click=ss.pop, args=(STALE,))


message = ss.pop(FLASH, None)
with st.container():  # always there, so the elements below keep their place (and the open tab)
    if message is not None:
        kind, key, kw = message
        (st.success if kind == "success" else st.error)(t(key, **kw))

ref = state.active_ref()
head1, head2 = st.columns([1, 1.3])
with head1:
    if ref is not None:
        st.markdown(f"**{t('scn.active')}**")
        st.text(t("scn.active_ref", name=ref[0], version=ref[1]))
        if state.edited_since_activated():
            st.caption(t("scn.edited"))
    else:
        st.markdown(f"**{t('scn.active')}**")
        st.text(state.scenario_name(state.draft()) or t("sidebar.unnamed"))
        st.caption(t("scn.not_saved"))
with head2:
    st.markdown(f"**{t('scn.share')}**")
    st.code(state.share_link(PAGE), language=None, wrap_lines=True)
    st.caption(t("scn.share_help") if ref is not None else t("scn.share_unsaved"))

try:
    listing = read("list")
except DataLayerError as exc:
    st.error(t("scn.store_unavailable", reason=error_text(exc)))
    st.stop()
for w in getattr(store, "warnings", list)():  # the store recovered from a damaged log
    shown = {k: inert(", ".join(v) if isinstance(v, list) else v) for k, v in w.params.items()}
    st.warning(t(f"scn.warn.{w.code}", **shown), icon=":material/healing:")

if "scn.author" not in ss:
    ss["scn.author"] = ss.get("scn.author_value", "")
st.text_input(
    t("scn.author"),
    key="scn.author",
    max_chars=80,
    on_change=remember_author,
    help=t("scn.author_help"),
)

tab_save, tab_history, tab_compare, tab_json, tab_downloads = st.tabs(
    [
        t("scn.tab.save"),
        t("scn.tab.history"),
        t("scn.tab.compare"),
        t("scn.tab.json"),
        t("scn.tab.downloads"),
    ],
    key="scn.tabs",
)

# ----- save ---------------------------------------------------------------------------------------
with tab_save:
    if "scn.save.name" not in ss:
        ss["scn.save.name"] = ref[0] if ref is not None else (state.draft().get("name") or "")
    c1, c2 = st.columns([1, 1.4])
    c1.text_input(t("scn.name"), key="scn.save.name", max_chars=120, help=t("scn.name_help"))
    c2.text_input(t("scn.note"), key="scn.save.note", max_chars=500)
    st.button(
        t("scn.save"),
        key="scn.save.button",
        type="primary",
        on_click=save_current,
        icon=":material/save:",
    )
    st.caption(t("scn.save_help"))
    if ss.get(STALE) is not None:
        stale_box(ss[STALE])

# ----- history: versions, load, diff, archive -----------------------------------------------------
with tab_history:
    show_archived = st.toggle(t("scn.show_archived"), key="scn.show_archived")
    visible = [r for r in listing if show_archived or not r["archived"]]
    if not visible:
        st.info(t("scn.none_saved"))
    else:
        overview = pd.DataFrame(
            {
                t("scn.col.name"): [r["name"] for r in visible],
                t("scn.col.latest"): [r["version"] for r in visible],
                t("scn.col.saved_at"): [when(r["created_at"]) for r in visible],
                t("scn.col.author"): [r["author"] for r in visible],
                t("scn.col.note"): [r["note"] for r in visible],
                t("scn.col.status"): [
                    t("scn.archived_flag") if r["archived"] else "" for r in visible
                ],
            }
        )
        st.dataframe(overview, hide_index=True, width="stretch", key="scn.list")
        names = [r["name"] for r in visible]
        if ss.get("scn.hist.name") not in names:
            ss["scn.hist.name"] = ref[0] if ref is not None and ref[0] in names else names[0]
        name = st.selectbox(t("scn.scenario"), names, key="scn.hist.name")
        is_archived = next(r["archived"] for r in visible if r["name"] == name)
        versions = read("versions", name)
        table = pd.DataFrame(
            {
                t("scn.col.version"): [v["version"] for v in versions],
                t("scn.col.saved_at"): [when(v["created_at"]) for v in versions],
                t("scn.col.author"): [v["author"] for v in versions],
                t("scn.col.note"): [v["note"] for v in versions],
            }
        ).iloc[::-1]
        st.markdown(f"**{t('scn.versions', name=inert(name))}**")
        st.dataframe(table, hide_index=True, width="stretch", key="scn.versions")
        numbers = [v["version"] for v in versions][::-1]
        l1, l2, l3 = st.columns([1, 1, 1], vertical_alignment="bottom")
        with l1:
            picked = version_picker(t("scn.version"), numbers, f"scn.hist.version.{name}")
        l2.button(
            t("scn.load"),
            key="scn.load",
            on_click=load_version,
            icon=":material/file_open:",
        )
        if is_archived:
            l3.button(
                t("scn.restore"),
                key="scn.restore",
                on_click=set_archived,
                args=(False,),
                icon=":material/unarchive:",
            )
            st.caption(t("scn.archived_help"))
        else:
            l3.button(
                t("scn.archive"),
                key="scn.archive",
                on_click=set_archived,
                args=(True,),
                icon=":material/archive:",
            )

        # which data the picked version was built from, and what became of that data since
        try:
            built = state.data_status(read("load", name, picked))
        except DataLayerError:
            built = None
        if built is not None:
            st.caption(t(f"scn.data.{built[0]}", name=inert(built[1]), v=picked))

        st.subheader(t("scn.diff"))
        if len(numbers) < 2:
            st.caption(t("scn.diff_one"))
        else:
            d1, d2 = st.columns(2)
            with d1:
                a = version_picker(t("scn.diff_old"), numbers, f"scn.diff.a.{name}", index=1)
            with d2:
                b = version_picker(t("scn.diff_new"), numbers, f"scn.diff.b.{name}")
            rows = read("diff", name, a, b)
            if not rows:
                st.info(t("scn.diff_none", a=a, b=b))
            else:
                metric = (read("load", name, b).get("target") or {}).get("metric")
                diff = compare.readable_diff(rows, F, metric).rename(
                    columns={
                        "parameter": t("scn.col.parameter"),
                        "path": t("scn.col.path"),
                        "old": t("scn.col.old", v=a),
                        "new": t("scn.col.new", v=b),
                    }
                )
                st.dataframe(diff, hide_index=True, width="stretch", key="scn.diff.table")

# ----- compare ------------------------------------------------------------------------------------
CURRENT = "__current__"


def option_label(opt: str) -> str:
    if opt == CURRENT:
        return t("scn.current")
    name, _, v = opt.rpartition("\x1f")
    return f"{name} · v{v}"


with tab_compare:
    options = [CURRENT]
    for r in listing:
        if r["archived"] and not ss.get("scn.show_archived"):
            continue
        options += [f"{r['name']}\x1f{v}" for v in range(r["version"], 0, -1)]
    picked = st.multiselect(
        t("scn.compare_pick"),
        options,
        key="scn.compare",
        format_func=option_label,
        max_selections=4,
    )
    if len(picked) < 2:
        st.info(t("scn.compare_help"))
    else:
        entries, problems = [], []
        for opt in picked:
            if opt == CURRENT:
                data = state.draft()
            else:
                name, _, v = opt.rpartition("\x1f")
                try:
                    data = read("load", name, int(v))
                except DataLayerError as exc:
                    problems.append(error_text(exc))
                    continue
            cur = state.plan_of(data)
            if not cur.ok:
                why = scenario_error_text(cur.error, F, data.get("stages") or ())
                problems.append(f"{option_label(opt)}: {why}")
                continue
            mc = state.monte_carlo_of(cur) if cur.scenario.target else None
            entries.append(
                compare.Entry(
                    option_label(opt),
                    cur.scenario,
                    cur.plan,
                    mc.confidence if mc is not None else None,
                    mc.run_rate_chance if mc is not None else None,
                )
            )
        for p in problems:
            st.error(t("scn.compare_problem", text=p))
        if len(entries) >= 2:
            figures = compare.key_figures(entries)
            diffs = compare.differences(figures)
            first_scn = entries[0].scenario
            lead = compare.lead_stage(first_scn)

            def show(fig: str, x: float, signed: bool = False, metric: str = "") -> str:
                if x != x:  # NaN
                    return "—"
                if fig in ("confidence", "run_rate_chance"):
                    return F.points(x) if signed else F.pct(x, digits=0)
                if fig in ("bookings", "revenue") or (fig == "target" and metric != "wins"):
                    return F.money(x, signed)
                if fig == "wins" or (fig == "target" and metric == "wins"):
                    return F.count(x, signed)
                return F.count(x, signed)

            names = {
                "target": t("scn.fig.target"),
                "required_inflow": t(
                    "overview.required_inflow", stage=stage_name(first_scn, first_scn.stage_keys[0])
                ),
                "required_leads": t("overview.required_leads", stage=stage_name(first_scn, lead)),
                "wins": t("metric.wins"),
                "bookings": t("metric.bookings"),
                "revenue": t("metric.revenue"),
                "confidence": t("overview.confidence"),
                "run_rate_chance": t("overview.run_rate_chance"),
            }
            metric = entries[0].scenario.target.metric if entries[0].scenario.target else ""
            shown = pd.DataFrame(
                {
                    e.label: [
                        show(f, figures.loc[f, e.label], metric=metric) for f in figures.index
                    ]
                    for e in entries
                },
                index=[names[f] for f in figures.index],
            )
            for c in diffs.columns:
                shown[t("scn.delta", label=c)] = [
                    show(f, diffs.loc[f, c], True, metric) for f in diffs.index
                ]
            st.subheader(t("scn.key_figures"))
            st.dataframe(shown, width="stretch", key="scn.compare.figures")
            st.caption(t("scn.key_figures_help", first=entries[0].label))

            st.subheader(t("scn.inputs"))
            first_json = entries[0].scenario.to_json()
            inputs = compare.input_table(
                entries[0].label,
                {e.label: diff_scenarios(first_json, e.scenario.to_json()) for e in entries[1:]},
                F,
                metric,
            )
            if inputs.empty:
                st.caption(t("scn.inputs_same"))
            else:
                st.dataframe(inputs, width="stretch", key="scn.compare.inputs")

            if len(entries) == 2:  # what changed, as a waterfall: spec section 9's bridge A → B
                a, b = entries
                made = compare.scenario_bridge(a.scenario, b.scenario, b.plan)
                st.subheader(t("scn.bridge", a=inert(a.label), b=inert(b.label)))
                if made is None:
                    st.info(t("scn.bridge_none"))
                else:
                    br, b_bookings = made
                    bars = bridge_rows(a.scenario, br, b_bookings)
                    ends = {"plan": a.label, "actual": b.label,
                            "residual": t("scn.bridge.other")}  # fmt: skip
                    labels = [factor_label(a.scenario, r.key, r.division, ends) for r in bars]
                    texts = [F.money(r.value, signed=r.kind != "total") for r in bars]
                    st.altair_chart(
                        waterfall_chart(bridge_frame(bars, labels, texts), t("metric.bookings"),
                                        F.money_axis()),
                        width="stretch",
                        key="scn.compare.bridge",
                    )  # fmt: skip
                    st.caption(t("scn.bridge_caption", a=inert(a.label), b=inert(b.label)))

            st.subheader(t("scn.division_targets"))
            div = compare.division_targets(entries)
            div_shown = pd.DataFrame(
                {c: [F.count(x) if x == x else "—" for x in div[c]] for c in div.columns},
                index=[
                    f"{division_name(d)} · {stage_name(first_scn, s)}"
                    if s in first_scn.stage_keys
                    else f"{division_name(d)} · {s}"
                    for d, s in div.index
                ],
            )
            st.dataframe(div_shown, width="stretch", key="scn.compare.divisions")
            st.caption(t("scn.division_targets_help"))

            st.subheader(t("scn.monthly"))
            for measure, title, money in (
                ("revenue", t("metric.revenue"), True),
                ("bookings", t("metric.bookings"), True),
                ("leads", t("scn.leads_series", stage=stage_name(first_scn, lead)), False),
            ):
                df = compare.monthly(entries, measure)
                df["value_text"] = [F.money(v) if money else F.count(v) for v in df["value"]]
                df["month"] = [F.month_short(m) for m in df["month"]]
                st.markdown(f"**{title}**")
                st.altair_chart(
                    charts.line_chart(df, title, F.money_axis() if money else None),
                    width="stretch",
                    key=f"scn.chart.{measure}",
                )

# ----- JSON import and export ---------------------------------------------------------------------
with tab_json:
    e1, e2 = st.columns(2)
    with e1:
        st.subheader(t("scn.export_json"))
        if ref is not None and not state.edited_since_activated():
            payload = read("export_json", *ref)
            label = t("scn.export_version", name=inert(ref[0]), version=ref[1])
        else:
            payload = json.dumps(state.draft(), ensure_ascii=False, indent=2) + "\n"
            label = t("scn.export_current")
        st.caption(label)
        st.download_button(
            t("scn.download_json"),
            data=payload,
            file_name=f"{exports.file_stem(state.scenario_name(state.draft()))}.json",
            mime="application/json",
            key="scn.export.json",
            on_click="ignore",
            icon=":material/download:",
        )
    with e2:
        st.subheader(t("scn.import_json"))
        st.file_uploader(
            t("scn.import_file"),
            type=["json"],
            key="scn.import.file",
            help=t("scn.import_help"),
            max_upload_size=1,
        )
        st.text_input(
            t("scn.import_name"),
            key="scn.import.name",
            max_chars=120,
            help=t("scn.import_name_help"),
        )
        st.button(
            t("scn.import"), key="scn.import.button", on_click=import_file, icon=":material/upload:"
        )

# ----- downloads of the active plan ---------------------------------------------------------------
with tab_downloads:
    cur = state.current()
    if not cur.ok:
        show_scenario_error(cur.error)
    else:
        scenario, plan, data, language = (
            cur.scenario,
            cur.plan,
            copy.deepcopy(state.draft()),
            lang(),
        )
        # the files are made when clicked, outside this run: they take copies, not the session
        baseline = copy.deepcopy(state.baseline())
        stem = exports.file_stem(state.scenario_name(data))
        st.caption(t("scn.downloads_help"))
        x1, x2 = st.columns(2)
        x1.download_button(
            t("scn.download_xlsx"),
            data=lambda: exports.workbook_bytes(scenario, plan, data, language, baseline),
            file_name=f"{stem}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="scn.dl.xlsx",
            on_click="ignore",
            icon=":material/table_view:",
        )
        x2.download_button(
            t("scn.download_csv"),
            data=lambda: exports.csv_zip(
                exports.tables(scenario, plan, data, language, baseline), stem
            ),
            file_name=f"{stem}-csv.zip",
            mime="application/zip",
            key="scn.dl.csv",
            on_click="ignore",
            icon=":material/folder_zip:",
        )
        pdf.download_button(cur, F, key="scn.dl.pdf")  # the plan on one page, for a meeting
        st.markdown(f"**{t('scn.reverse_preview')}**")
        ss_calc = exports.steady_state(
            exports.assumptions(scenario, data, language), scenario.stage_keys
        )
        preview = pd.DataFrame(
            {
                t("export.reverse.simple"): [F.count(v) for v in ss_calc.simple],
                t("export.reverse.with_recycle"): [F.count(v) for v in ss_calc.recycled],
                t("export.reverse.model"): [F.count(float(a.mean())) for a in plan.arrivals],
            },
            index=[stage_name(scenario, k) for k in scenario.stage_keys],
        )
        new_inflow = pd.DataFrame(
            {
                t("export.reverse.simple"): [F.count(ss_calc.simple[0])],
                t("export.reverse.with_recycle"): [F.count(ss_calc.inflow)],
                t("export.reverse.model"): [F.count(plan.required_inflow_per_month)],
            },
            index=[t("export.reverse.inflow")],
        )
        st.dataframe(pd.concat([preview, new_inflow]), width="stretch", key="scn.reverse")
        st.caption(t("scn.reverse_help"))

        st.markdown(f"**{t('scn.chart_images')}**")
        months = [F.month_short(m) for m in plan.months]
        lead = compare.lead_stage(scenario)
        chart_choices = {
            "revenue": (t("metric.revenue"), plan.revenue, True),
            "bookings": (t("metric.bookings"), plan.bookings, True),
            "leads": (
                t("scn.leads_series", stage=stage_name(scenario, lead)),
                plan.stage_series(lead, "arrivals"),
                False,
            ),
        }
        which = st.segmented_control(
            t("scn.chart_pick"),
            list(chart_choices),
            key="scn.dl.chart",
            format_func=lambda k: chart_choices[k][0],
            default="revenue",
            required=True,
        )
        title, values, money = chart_choices[which]
        frame = charts.long_frame(
            months,
            {title: list(values)},
            {title: [F.money(v) if money else F.count(v) for v in values]},
        )
        chart = charts.line_chart(frame, title, F.money_axis() if money else None)
        st.altair_chart(chart, width="stretch", key="scn.dl.preview")
        full_title = f"{data.get('name') or ''} — {title}".strip(" —")
        i1, i2 = st.columns(2)
        i1.download_button(
            t("scn.download_png"),
            data=lambda: exports.chart_png(chart, full_title),
            file_name=f"{stem}-{which}.png",
            mime="image/png",
            key="scn.dl.png",
            on_click="ignore",
            icon=":material/image:",
        )
        i2.download_button(
            t("scn.download_svg"),
            data=lambda: exports.chart_svg(chart, full_title),
            file_name=f"{stem}-{which}.svg",
            mime="image/svg+xml",
            key="scn.dl.svg",
            on_click="ignore",
            icon=":material/image:",
        )
