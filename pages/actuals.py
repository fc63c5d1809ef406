"""Plan vs actual (予実, spec v2 section 9): the plan of record against what the data says for the
months closed so far, per division and stage; why bookings are off (the bridge: inflow, each
stage's rates, lead times, deal size, residual); the re-forecast of the rest of the year, the
chance of meeting the target and each division's recovery plan; saving the re-forecast as a
new version of the plan."""

from ui.common import require_frame

require_frame(__file__)

import copy

import pandas as pd
import streamlit as st

from db import actuals as dba
from db.errors import DataLayerError, ScenarioStoreError
from db.schema import stage_keys
from model import ScenarioError, parse_scenario, run_plan
from model import bridge as mb
from model.scenario import base
from ui import actuals as ua
from ui import charts, exports, state
from ui import currency as currencies
from ui.common import Fmt, division_name, scenario_error_text, show_warnings, stage_name
from ui.errors import error_text
from ui.format import inert
from ui.i18n import lang, t
from ui.present import presenting

DATA_CURRENCY = state.data_currency()  # the CRM data's: the page compares the plan with it
F = Fmt(lang(), DATA_CURRENCY)
ss = st.session_state
SAMPLE = "__sample__"
FLASH = "act.flash"
STALE = "act.stale"
MC_DRAWS = 2000


# ----- cached work (the data read and the model runs, per plan, data and months) ------------------
@st.cache_data(max_entries=32, show_spinner=False)
def read_actuals(_con, dataset: str, fingerprint: str | None, plan_text: str, k: int):
    """db.actuals for the plan of record over k months (keyed on the data's fingerprint)."""
    import json

    return dba.actuals(_con, json.loads(plan_text), k)


@st.cache_data(max_entries=32, show_spinner=False)
def model_side(plan_text: str, _a: dba.Actuals, actuals_key: tuple, basis: str):
    """The plan run, the bridge, and for k < H the re-forecast, the chance of the target and
    the recovery (or the error that stopped it); ``actuals_key`` says which actuals ``_a`` are
    (the data's fingerprint and the months closed)."""
    import json

    a = _a
    plan = parse_scenario(json.loads(plan_text))
    run = run_plan(plan)
    actual = a.scenario(plan)
    b = mb.bridge(plan, actual, a.months, inflow=run.inflow)
    out = {"run": run, "bridge": b, "rest": None, "chance": None, "recovery": None,
           "recovery_error": None}  # fmt: skip
    if a.months < plan.months:
        state_ = a.state()
        on = actual if basis == "actual" else None
        out["rest"] = mb.reforecast(plan, state_, on)
        out["chance"] = mb.chance_of_target(plan, state_, on, draws=MC_DRAWS, seed=0)
        try:
            out["recovery"] = mb.recovery(plan, state_, on)
        except ScenarioError as exc:
            out["recovery_error"] = exc
    return out


def store_listing(store) -> list[str]:
    try:
        return [r["name"] for r in store.list(include_archived=False)]
    except DataLayerError as exc:
        st.warning(t("actuals.store_unavailable", reason=error_text(exc)))
        return []


# ----- choosing the plan of record ----------------------------------------------------------------
st.title(t("actuals.title"))
st.caption(t("actuals.caption"))
store = state.scenario_store()
names = store_listing(store)
c1, c2, c3 = st.columns([2.4, 0.7, 1.5])
plan_labels = {SAMPLE: t("actuals.sample_plan")}  # texts made now, in this run's language
opened = state.active_ref()  # a saved version this session opened is the one to track
choices = [SAMPLE, *names]
choice = c1.selectbox(
    t("actuals.plan"),
    choices,
    index=choices.index(opened[0]) if opened is not None and opened[0] in names else 0,
    format_func=lambda o: plan_labels.get(o, o),
    key="act.plan",
    help=t("actuals.plan_help"),
)
version = None
if choice == SAMPLE:
    plan_json = dba.sample_plan_of_record()
    c2.text_input(t("actuals.version"), value="—", disabled=True, key="act.version.sample")
else:
    try:
        numbers = [v["version"] for v in store.versions(choice)]
        numbers = numbers[::-1]  # newest first
        version = c2.selectbox(
            t("actuals.version"), numbers, key=f"act.version.{choice}",
            index=numbers.index(opened[1]) if opened and opened[0] == choice
            and opened[1] in numbers else 0, format_func=lambda v: f"v{v}",
        )  # fmt: skip
        plan_json = store.load(choice, version)
    except DataLayerError as exc:
        st.error(t("actuals.store_unavailable", reason=error_text(exc)))
        st.stop()

# the name versions are saved under: the store's for a saved plan, the scenario's for the sample
plan_name = choice if choice != SAMPLE else plan_json.get("name") or t("sidebar.unnamed")
shown_name = plan_labels.get(choice, plan_name)  # the sample's in this run's language
plan_currency = str(plan_json.get("currency", "JPY"))
back_rate = None  # a plan of record converted from the data's currency: the rate to go back
if choice == SAMPLE:  # built from the data: in its currency (a relabelled one included)
    plan_json = {**plan_json, "currency": DATA_CURRENCY}
elif plan_currency != DATA_CURRENCY:
    codes = {"name": inert(shown_name), "plan": inert(plan_currency), "data": DATA_CURRENCY}
    back_rate = currencies.data_rate(plan_json)
    if currencies.data_currency(plan_json) != DATA_CURRENCY or back_rate is None:
        st.warning(t("currency.plan_other", **codes))
        st.stop()
    plan_json = currencies.change_currency(plan_json, DATA_CURRENCY, 1 / back_rate)
    st.caption(t("currency.plan_converted", rate=currencies.rate_text(back_rate), **codes))
try:
    plan = parse_scenario(plan_json)
except ScenarioError as exc:
    st.error(scenario_error_text(exc, F, plan_json.get("stages") or ()))
    st.stop()
# a cursor of this run's own: a rerun started while the previous run still reads (a slider
# dragged) must not share the session's cursor with it (DuckDB refuses a busy connection)
con = state.funnel().cursor()
dataset = state.dataset_id()
if list(plan.stage_keys) != stage_keys(con):
    st.info(t("actuals.stages_differ", name=inert(shown_name),
              source=inert(state.dataset_name(dataset))))  # fmt: skip
    st.stop()
available = dba.months_with_data(con, plan_json["start"], plan.months)
if available == 0:
    st.info(t("actuals.no_data", start=F.month(plan.month_labels[0]),
              source=inert(state.dataset_name(dataset))))  # fmt: skip
    st.stop()
labels = plan.month_labels
k = c3.select_slider(
    t("actuals.closed"),
    options=list(range(1, available + 1)),
    value=available,
    format_func={
        i: t("actuals.closed_option", month=F.month(labels[i - 1]), k=i)
        for i in range(1, available + 1)
    }.get,
    key=f"act.closed.{choice}.{version}.{available}",
    help=t("actuals.closed_help"),
)
bases = {b: t(f"actuals.basis.{b}") for b in ("plan", "actual")}
basis = st.radio(t("actuals.basis"), list(bases), format_func=bases.get, horizontal=True,
                 key="act.basis", help=t("actuals.basis_help"))  # fmt: skip
plan_text = state.canonical(plan_json)
try:
    with st.spinner(t("actuals.reading")):
        data_key = (dataset, state.dataset_fingerprint(dataset))
        a = read_actuals(con, *data_key, plan_text, k)
        side = model_side(plan_text, a, (*data_key, k), basis)
except DataLayerError as exc:
    st.error(error_text(exc))
    st.stop()
except ScenarioError as exc:
    st.error(scenario_error_text(exc, F, plan_json.get("stages") or ()))
    st.stop()

run, b = side["run"], side["bridge"]
target = plan.target
closed = labels[k - 1]
actual_to_date = a.totals()
st.caption(t("actuals.window", name=inert(shown_name), start=F.month(labels[0]),
             end=F.month(closed), k=k, h=plan.months))  # fmt: skip


def stage_text(key: str) -> str:
    """A row's stage: a stage's name, or bookings, or (the deal size's row) the won stage."""
    if key == "bookings":
        return t("metric.bookings")
    return stage_name(plan, plan.stage_keys[-1] if key == "deal" else key)


# ----- the tiles --------------------------------------------------------------------------------
planned = ua.plan_to_date(run, k)
actual_series = {**a.arrivals, "bookings": a.bookings}
gap = actual_to_date["bookings"] - b.plan
share = ua.delivered(actual_to_date["bookings"], b.plan)
t1, t2, t3 = st.columns(3)
t1.metric(t("actuals.tile_plan"), F.money(b.plan), help=t("actuals.tile_plan_help"))
t2.metric(
    t("actuals.tile_actual"),
    F.money(actual_to_date["bookings"]),
    delta=t("actuals.vs_plan", value=F.money(gap, signed=True)),
    delta_color="normal",
)
t3.metric(t("actuals.tile_share"), F.pct(share) if share is not None else "—",
          help=t("actuals.tile_share_help"))  # fmt: skip
if (note := currencies.data_note(state.draft(), lang())) is not None:
    # the scenario was converted: the headline figures in its currency too, at its rate
    rate, S = state.data_rate(), Fmt(lang(), state.draft().get("currency", "JPY"))
    if rate is not None:
        note += ("" if lang() == "ja" else " ") + t(
            "currency.actuals_in_scenario",
            cur=inert(S.currency),
            plan=inert(S.money(b.plan * rate)),
            actual=inert(S.money(actual_to_date["bookings"] * rate)),
            gap=inert(S.money(gap * rate, signed=True)),
        )
    st.caption(note)

# ----- per division and stage -------------------------------------------------------------------
st.subheader(t("actuals.by_stage"))
rows = ua.comparison_rows(plan, planned, actual_series)


def amount(key: str, x: float, signed: bool = False) -> str:
    return F.money(x, signed) if key == "bookings" else F.count(x, signed)


table = pd.DataFrame(
    {
        t("actuals.col.division"): [division_name(r["division"]) if r["division"] else "—"
                                    for r in rows],
        t("actuals.col.stage"): [stage_text(r["key"]) for r in rows],
        t("actuals.col.plan"): [amount(r["key"], r["plan"]) for r in rows],
        t("actuals.col.actual"): [amount(r["key"], r["actual"]) for r in rows],
        t("actuals.col.difference"): [amount(r["key"], r["difference"], True) for r in rows],
        t("actuals.col.delivered"): [F.pct(r["delivered"]) if r["delivered"] is not None
                                     else "—" for r in rows],
    }
)  # fmt: skip
behind = [r["delivered"] is not None and r["delivered"] < 1 - 1e-9 for r in rows]
st.dataframe(ua.behind_style(table, behind), hide_index=True, width="stretch", key="act.table")
st.caption(t("actuals.behind_note"))
st.caption(t("actuals.lines_note"))
panels = {r["key"]: t("actuals.panel", division=division_name(r["division"])
                      if r["division"] else "—", stage=stage_text(r["key"]))
          for r in rows}  # fmt: skip
series_names = (t("actuals.series.plan"), t("actuals.series.actual"))
monthly = ua.monthly_frame(
    [F.month_short(m) for m in labels[:k]],
    panels,
    {key: planned[key] for key in panels},
    {key: actual_series[key] for key in panels},
    series_names,
    lambda key, v: amount(key, v),
)
grid = st.columns(2)
for i, (key, name) in enumerate(panels.items()):
    with grid[i % 2]:
        st.markdown(f"**{inert(name)}**")
        st.altair_chart(
            ua.plan_actual_chart(monthly[monthly["panel"] == name],
                                 F.money_axis() if key == "bookings" else ua.COUNT_AXIS_EXPR),
            width="stretch",
            height=250,
            key=f"act.monthly_chart.{key}",
        )  # fmt: skip
with st.expander(t("actuals.monthly_table")):
    month_table = pd.DataFrame(
        {F.month_short(m): [amount(key, vals[i]) for key in panels
                            for vals in (planned[key], actual_series[key])]
         for i, m in enumerate(labels[:k])},
        index=[f"{panels[key]} · {name}" for key in panels for name in series_names],
    )  # fmt: skip
    st.dataframe(month_table, width="stretch", key="act.month_table")

# ----- the bridge -------------------------------------------------------------------------------
st.subheader(t("actuals.bridge"))
st.caption(t("actuals.bridge_caption"))


def fmt_param(param: str, x: float) -> str:
    if param in ("lag", "size"):
        return F.months(x) if param == "lag" else F.money(x)
    return F.pct(x, digits=2)


def rests_on(key: str) -> str:
    """What a stage's actual rates rest on: its items, or monthly counts."""
    if key not in a.evidence:
        return t("actuals.rests_on_wins", n=F.count(actual_to_date["wins"]))
    if a.basis[key] == "counts":
        return t("actuals.rests_on_counts")
    return t("actuals.rests_on", **{n: F.count(v) for n, v in a.evidence[key].items()})


bars = ua.bridge_rows(plan, b, actual_to_date["bookings"])
ends = {k: t(f"actuals.factor.{k}") for k in ("plan", "actual", "residual")}
bar_labels = [ua.factor_label(plan, r.key, r.division, ends) for r in bars]
bar_text = [F.money(r.value, signed=r.kind != "total") for r in bars]
st.altair_chart(
    ua.waterfall_chart(ua.bridge_frame(bars, bar_labels, bar_text), t("metric.bookings"),
                       F.money_axis()),
    width="stretch",
    key="act.waterfall",
)  # fmt: skip
bridge_table = pd.DataFrame(
    {
        t("actuals.col.bar"): bar_labels,
        t("actuals.col.effect"): bar_text,
        t("actuals.col.share_gap"): [
            F.pct(r.value / gap) if r.kind != "total" and abs(gap) > 1e-9 else "—" for r in bars
        ],
    }
)
st.dataframe(bridge_table, hide_index=True, width="stretch", key="act.bridge_table")
st.caption(t("actuals.bridge_sum", gap=F.money(gap, signed=True),
             effects=F.money(b.model - b.plan, signed=True),
             residual=F.money(b.residual(actual_to_date["bookings"]), signed=True)))  # fmt: skip
st.caption(t("actuals.lags_note"))
longest = max(float(base(s.lag)) for s in plan.stages[:-1])
if k <= 3 * longest:  # resolutions up to about three mean lead times are common
    st.caption(t("actuals.short_window", k=k))
if a.estimated:
    parts = []
    for what in a.estimated:
        if what.startswith("rates:"):
            parts.append(t("actuals.est.rates", stage=inert(stage_name(plan, what[6:]))))
        else:
            parts.append(t(f"actuals.est.{what}"))
    st.caption(t("actuals.estimated", parts="; ".join(parts)))
with st.expander(t("actuals.rates")):
    rate_rows = ua.rate_rows(plan, a)
    st.dataframe(
        pd.DataFrame(
            {
                t("actuals.col.stage"): [stage_text(r["key"]) for r in rate_rows],
                t("actuals.col.what"): [t(f"param.{r['param']}") for r in rate_rows],
                t("actuals.col.plan_value"): [fmt_param(r["param"], r["plan"]) for r in rate_rows],
                t("actuals.col.actual_value"): [fmt_param(r["param"], r["actual"])
                                                for r in rate_rows],
                t("actuals.col.rests_on"): [  # once per stage, on its first row
                    rests_on(r["key"]) if i == 0 or rate_rows[i - 1]["key"] != r["key"] else ""
                    for i, r in enumerate(rate_rows)
                ],
            }
        ),
        hide_index=True,
        width="stretch",
    )  # fmt: skip


def downloads(recovery_rows: list | None) -> None:
    """The page's tables as an Excel workbook and as CSV files in a zip."""
    frames = ua.export_frames(
        rows, labels[:k], planned, actual_series, bars, bar_labels, recovery_rows,
        title=lambda c: t(f"actuals.col.{c}"), stage=stage_text,
        division=lambda d: division_name(d) if d else "—",
    )  # fmt: skip
    stem = f"{exports.file_stem(shown_name)}-{closed}"
    d1, d2 = st.columns(2)
    d1.download_button(
        t("actuals.download_xlsx"),
        ua.workbook_bytes(frames, {key: t(f"actuals.sheet.{key}") for key in frames}),
        file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="act.download.xlsx",
        on_click="ignore",
    )
    d2.download_button(t("actuals.download_csv"), exports.csv_zip(frames, stem),
                       file_name=f"{stem}-csv.zip", mime="application/zip",
                       key="act.download.csv", on_click="ignore")  # fmt: skip


# ----- the rest of the year ---------------------------------------------------------------------
st.subheader(t("actuals.rest"))
if k >= plan.months:
    if target is not None:
        st.info(t("actuals.year_closed_target", actual=F.metric_value(target.metric,
                  actual_to_date[target.metric]), target=F.metric_value(target.metric,
                  target.horizon_total)))  # fmt: skip
    else:
        st.info(t("actuals.year_closed"))
    downloads(None)
    st.stop()

rest, chance, recovered = side["rest"], side["chance"], side["recovery"]
outlook = rest.outlook
r1, r2, r3 = st.columns(3)
r1.metric(t("actuals.tile_rest"), F.money(rest.rest.totals["bookings"]),
          help=t("actuals.tile_rest_help", basis=t(f"actuals.basis.{basis}")))  # fmt: skip
if target is not None:
    metric = target.metric
    r2.metric(
        t("actuals.tile_outlook"),
        F.metric_value(metric, outlook[metric]),
        delta=t("actuals.vs_target", value=F.metric_value(metric, outlook[metric]
                                                          - target.horizon_total, signed=True)),
        help=t("actuals.tile_outlook_help"),
    )  # fmt: skip
    r3.metric(t("actuals.tile_chance"), F.pct(chance, 0) if chance is not None else "—",
              help=t("actuals.tile_chance_help", draws=F.count(MC_DRAWS)))  # fmt: skip
else:
    r2.metric(t("actuals.tile_outlook"), F.money(outlook["bookings"]))
    r3.metric(t("actuals.tile_chance"), "—", help=t("actuals.no_target"))

year_names = {key: t(f"actuals.series.{key}") for key in
              ("plan", "actual", "reforecast", "recovery")}  # fmt: skip
year = ua.year_frame(
    [F.month_short(m) for m in labels],
    k,
    run.bookings.tolist(),
    a.bookings,
    rest.rest.bookings.tolist(),
    recovered.bookings.tolist() if recovered is not None else None,
    year_names,
    F.money,
)
st.altair_chart(
    charts.line_chart(year, t("metric.bookings"), F.money_axis()),
    width="stretch",
    key="act.year_chart",
)

st.markdown(f"**{t('actuals.recovery')}**")
if target is None:
    st.caption(t("actuals.no_target"))
elif side["recovery_error"] is not None:
    st.warning(t("actuals.recovery_failed", reason=scenario_error_text(
        side["recovery_error"], F, plan_json.get("stages") or ())))  # fmt: skip
elif recovered is not None:
    left = mb.remaining_target(plan, a.state())
    st.caption(t("actuals.recovery_caption", start=F.month(labels[k]), end=F.month(labels[-1]),
                 target=F.metric_value(target.metric, sum(left["monthly"]) if "monthly" in left
                                       else left["total"])))  # fmt: skip
    rec_rows = ua.recovery_rows(plan, run, recovered, k)
    planned_rest = float(run.inflow[k:].sum())
    if planned_rest > 0:
        ratio = float(recovered.inflow.sum()) / planned_rest
        first = inert(stage_name(plan, plan.stage_keys[0]))
        key = "actuals.recovery_ratio" if ratio >= 2 else "actuals.recovery_ratio_ok"
        (st.warning if ratio >= 2 else st.caption)(t(key, ratio=F.count(ratio, digits=1),
                                                     stage=first))  # fmt: skip
    rec_table = pd.DataFrame(
        {
            t("actuals.col.division"): [division_name(r["division"]) if r["division"] else "—"
                                        for r in rec_rows],
            t("actuals.col.stage"): [stage_text(r["key"]) for r in rec_rows],
            t("actuals.col.original"): [amount(r["key"], r["plan"]) for r in rec_rows],
            t("actuals.col.recovery"): [amount(r["key"], r["recovery"]) for r in rec_rows],
            t("actuals.col.change"): [amount(r["key"], r["change"], True) for r in rec_rows],
            t("actuals.col.per_month"): [amount(r["key"], r["recovery"] / (plan.months - k))
                                         for r in rec_rows],
        }
    )  # fmt: skip
    st.dataframe(rec_table, hide_index=True, width="stretch", key="act.recovery_table")
    show_warnings(recovered.warnings)
downloads(rec_rows if target is not None and recovered is not None else None)


# ----- saving the re-forecast ---------------------------------------------------------------------
def reforecast_scenario() -> dict:
    """The rest of the year as a scenario: from the actual state, the plan's inflow (the
    re-forecast) and the target left (its required inflow is the recovery)."""
    state_ = a.state()
    on = a.scenario(plan) if basis == "actual" else None
    rest_sc = mb.rest_scenario(plan, state_, on, target=mb.remaining_target(plan, state_))
    data = rest_sc.to_json()
    data["name"] = plan_name
    notes = copy.deepcopy(plan_json.get("notes") or {})
    notes["reforecast"] = {
        "plan_of_record": {"name": plan_name, "version": version},
        "months_closed": k,
        "through": closed,
        "basis": basis,
        "actual_to_date": actual_to_date,
        "outlook": outlook,
        "chance_of_target": chance,
    }
    notes["dataset"] = state.provenance(dataset)
    data["notes"] = notes
    if back_rate is not None:  # in the plan of record's currency, as its parent
        return currencies.change_currency(data, plan_currency, back_rate)
    return data


def parent_version() -> int:
    """The plan of record's version in the store; the sample's is saved first when the store
    has no version equal to it."""
    if version is not None:
        return int(version)
    text = state.canonical(plan_json)
    known = any(r["name"] == plan_name for r in store.list())
    for v in store.versions(plan_name) if known else ():
        if state.canonical(store.load(plan_name, v["version"])) == text:
            return int(v["version"])
    return store.save(plan_name, plan_json, author=author(), note=t("actuals.record_note"))


def author() -> str:
    return (ss.get("act.author") or "").strip()


def save_reforecast(force: bool = False) -> None:
    ss.pop(STALE, None)
    if not author():
        ss[FLASH] = ("error", t("actuals.need_author"))
        return
    ss["scn.author_value"] = ss.get("act.author", "")
    try:
        parent = parent_version()
        saved = store.save(plan_name, reforecast_scenario(), author=author(),
                           note=ss.get("act.note") or t("actuals.default_note", month=closed),
                           parent=parent, force=force)  # fmt: skip
    except ScenarioStoreError as exc:
        if exc.code == "scenario_stale_parent":
            ss[STALE] = {"parent": parent, "head": int(exc.params["head"])}
            return
        ss[FLASH] = ("error", t("actuals.save_failed", reason=error_text(exc)))
        return
    except DataLayerError as exc:
        ss[FLASH] = ("error", t("actuals.save_failed", reason=error_text(exc)))
        return
    ss[FLASH] = ("success", t("actuals.saved", name=inert(plan_name), version=saved,
                              parent=parent))  # fmt: skip


if presenting():  # saving is for after the meeting (ui.present)
    st.stop()
st.markdown(f"**{t('actuals.save')}**")
st.caption(t("actuals.save_caption", name=inert(plan_name)))
if "act.author" not in ss:
    ss["act.author"] = ss.get("scn.author_value", "")
s1, s2 = st.columns([1, 1.6])
s1.text_input(t("scn.author"), key="act.author", max_chars=80, help=t("scn.author_help"))
s2.text_input(t("scn.note"), key="act.note", max_chars=500,
              placeholder=t("actuals.default_note", month=closed))  # fmt: skip
st.button(t("actuals.save_button"), key="act.save", type="primary", on_click=save_reforecast)
message = ss.pop(FLASH, None)
if message is not None:
    (st.success if message[0] == "success" else st.error)(message[1])
stale = ss.get(STALE)
if stale is not None:
    st.warning(t("actuals.stale", name=inert(plan_name), parent=stale["parent"],
                 head=stale["head"]), icon=":material/warning:")  # fmt: skip
    b1, b2 = st.columns(2)
    b1.button(t("actuals.stale_save", next=stale["head"] + 1), key="act.stale.save",
              on_click=save_reforecast, kwargs={"force": True})  # fmt: skip
    b2.button(t("scn.stale_cancel"), key="act.stale.cancel", on_click=ss.pop, args=(STALE,))
