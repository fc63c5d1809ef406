"""UI text in Japanese and English, through one helper: ``t(key, **kw)``.

The language is ``st.session_state["lang"]`` (the sidebar's control). A session starts in
Japanese when the browser's language (``st.context.locale``) starts with ``ja`` and in English
otherwise, since English is the better guess for any other locale. Numbers and dates follow the
language through :mod:`ui.format`. A key missing from a catalog is a bug (a test checks that
both catalogs have the same keys); at run time it falls back to English, then to the key.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

LANG_NAMES = {"ja": "日本語", "en": "English"}
DEFAULT_LANG = "en"

EN: dict[str, str] = {
    # navigation and sidebar
    "page.overview": "Overview",
    "page.plan": "Plan",
    "page.divisions": "Divisions",
    "page.stages": "Stages and recycle",
    "page.customers": "Customer success",
    "page.sensitivity": "Sensitivity",
    "sidebar.scenario": "Scenario",
    "sidebar.unnamed": "(unnamed scenario)",
    "sidebar.source": "Data source",
    "sidebar.source_help": "The dataset the CRM data and Sources pages read. A new session "
    "starts on the sample; imports go into datasets of their own.",
    "sidebar.sample_ro": "Sample data (read-only)",
    "sidebar.dataset_gone": "The dataset “{name}” was removed: you are back on the sample data.",
    "sidebar.data_changed": "The data of “{name}” changed since this scenario was built from "
    "it: rebuild the baseline on the CRM data page to plan from today's data.",
    "sidebar.data_removed": "The dataset “{name}” this scenario was built from has been removed.",
    "sample.scenario_name": "FY2026 plan (sample company, AsIs baseline)",
    "sidebar.present": "Presentation mode",
    "sidebar.present_help": "For a meeting: hides every editing control, shows the ranges as "
    "figures, enlarges the headline numbers and steps through Overview → Divisions → Capacity → "
    "Plan vs actual. A link copied now opens in this mode (?present=1).",
    "present.prev": "Previous",
    "present.next": "Next",
    "present.where": "Presentation: {n} of {of}",
    "present.read_only": "Presentation mode: the plan is shown, not edited. Turn it off in the "
    "sidebar to change the target or a lever.",
    "present.ranges": "Committed ranges: low / target / stretch.",
    "overview.projection": "Target vs projection: {metric} to date",
    "cs.bridge": "Revenue bridge: MRR over the plan",
    "cs.bridge.opening": "Opening MRR",
    "cs.bridge.new": "New customers",
    "cs.bridge.expansion": "Expansion",
    "cs.bridge.churn": "Churn",
    "cs.bridge.closing": "Closing MRR",
    "cs.bridge_caption": "From the MRR at the start of {first} to the MRR at the end of {last}: "
    "the opening base, plus new customers' MRR and expansion, minus churn, is the closing MRR. "
    "The table below does the same for each month.",
    "overview.projection.plan": "The plan",
    "overview.projection.now": "At today's inflow",
    "overview.projection.target": "Target",
    "overview.projection.band_text": "the plan: {low} to {high} (P10–P90)",
    "overview.projection.caption": "The total so far at each month's end. The band holds 80% "
    "of the {draws} Monte Carlo draws of the plan (P10–P90); the dashed line is the target, "
    "to reach by the last month.",
    "overview.projection.caption_monthly": "The total so far at each month's end. The band "
    "holds 80% of the {draws} Monte Carlo draws of the plan (P10–P90); the dashed line adds up "
    "the monthly targets.",
    "lead_source.organic_search": "Organic search",
    "lead_source.paid_search": "Paid search",
    "lead_source.webinar": "Webinars",
    "lead_source.exhibition": "Exhibitions",
    "lead_source.referral": "Referrals",
    "lead_source.partner": "Partners",
    "lead_source.social": "Social media",
    "lead_source.email": "Email",
    "lead_source.display": "Display ads",
    "lead_source.direct_traffic": "Direct traffic",
    "lead_source.other_publicities": "Other advertising",
    "lead_source.other": "Other",
    "lead_source.unknown": "Unknown",
    "sidebar.data_damaged": "The file of the dataset “{name}” this scenario was built from is "
    "damaged: its data cannot be checked. Choose it in Data source to see what to do.",
    "source.sample": "Sample data",
    "sidebar.language": "Language",
    "sidebar.currency": "Currency",
    "sidebar.reset": "Reset to baseline",
    "sidebar.currency_asks": "The currency the scenario's amounts are in. Changing it asks "
    "how: convert every amount at an exchange rate you type, or only relabel them (when they "
    "were entered in the other currency).",
    "sidebar.currency_converted": "Amounts converted from {frm} at 1 {frm} = {rate} {to} on "
    "{when}.",
    "sidebar.currency_relabelled": "Relabelled from {frm} to {to} on {when}: the amounts were "
    "not converted.",
    "currency.title": "Change the currency from {frm} to {to}",
    "currency.intro": "The scenario's amounts are in {frm}. Convert them to {to} at your "
    "exchange rate or, if they were entered in {to} already, only relabel them.",
    "currency.rate": "Exchange rate: 1 {frm} = ? {to}",
    "currency.rate_placeholder": "Type the rate",
    "currency.rate_help": "The rate you plan with, for example your finance team's budget "
    "rate. The app does not look rates up: it converts only at a rate you give.",
    "currency.rate_missing": "Type the exchange rate to see the converted amounts.",
    "currency.rate_typed_before": "The rate you converted at earlier in this session.",
    "currency.rate_invalid": "The exchange rate must be a number above 0 and at most {max}.",
    "currency.col.amount": "Amount",
    "currency.col.now": "Now ({cur})",
    "currency.col.after": "Converted ({cur})",
    "currency.list_total": "{value} over {n} months",
    "currency.note.spend": "Notes: marketing spend",
    "currency.note.actual_to_date": "Notes: {metric} to date (re-forecast)",
    "currency.note.outlook": "Notes: {metric} outlook (re-forecast)",
    "currency.convert": "Convert every amount",
    "currency.convert_caption": "Multiplies the {n} amounts above by the rate (the notes' "
    "amounts are what the scenario records of where it came from). Counts (inflow, wins, heads) "
    "and rates stay as they are. The conversion is recorded in the notes, and the baseline is "
    "converted too.",
    "currency.relabel": "Only relabel: the amounts are already in {to}",
    "currency.relabel_caption": "Keeps every number as it is and reads it in {to}: {before} "
    "becomes {after}. Choose this only if the amounts were entered in {to}.",
    "currency.cancel": "Cancel",
    "currency.data_note": "Amounts here are in {data}, the currency of the CRM data; the scenario "
    "is in {cur} (converted at 1 {data} = {rate} {cur}).",
    "currency.data_note_unknown": "Amounts here are in {data}, the currency of the CRM data; the "
    "scenario is in {cur}.",
    "currency.actuals_in_scenario": "In the scenario's {cur} at that rate: plan to date {plan}, "
    "actual to date {actual} ({gap} vs plan).",
    "currency.plan_converted": "The plan of record “{name}” is in {plan}: it is compared with "
    "the data in {data}, at the rate it was converted at (1 {data} = {rate} {plan}). A re-forecast "
    "saved from here is converted back to {plan}.",
    "currency.compare_differs": "These scenarios are in different currencies ({codes}): each "
    "amount is shown in its own currency, amounts are not subtracted, and there is no bridge "
    "between them. To compare amounts, convert one to the other's currency (sidebar: Currency) "
    "and save it.",
    "currency.plan_other": "The plan of record “{name}” is in {plan} and the CRM data in {data}, "
    "and no conversion between them is recorded: they cannot be compared. Choose a version in "
    "{data}, or convert the scenario back to {data} and save it.",
    # words of the model
    "stage.visitor": "Visitors",
    "stage.lead": "Leads",
    "stage.opportunity": "Opportunities",
    "stage.won": "Won deals",
    "division.marketing": "Marketing",
    "division.inside_sales": "Inside sales",
    "division.field_sales": "Field sales",
    "division.customer_success": "Customer success",
    "metric.bookings": "Bookings",
    "metric.revenue": "Revenue",
    "metric.wins": "Wins",
    "param.conversion": "Conversion",
    "param.conversion_help": "Share of the stage's items that advance to the next stage.",
    "param.disqualify": "Disqualify",
    "param.disqualify_help": "Share dropped as not a target, never to return.",
    "param.recycle": "Recycle",
    "param.recycle_help": "Share parked in the recycle pool, to be re-nurtured later.",
    "param.lag": "Lead time",
    "param.lag_months": "Lead time (months)",
    "param.lag_help": "Months between entering the stage and being resolved.",
    "param.size": "Deal size",
    "param.size_amount": "Deal size ({cur})",
    "input.amount_help": "Type the amount as you write it: 8,500,000,000, 8.5B or 850M.",
    "plan.range_moved": "{name}: its committed range moved with the target, from {before} to "
    "{after} (a range follows its target until its division sets it on the Divisions page).",
    "plan.range_widened": "{name}: the range its division set stays, {before}; the target went "
    "past it, so that end now meets the target: {after}.",
    "plan.seek.title": "Goal seek: what closes the gap at today's inflow?",
    "plan.seek.caption": "With today's {inflow} {stage} a month and every other lever at its "
    "target value: the smallest value of one lever at which the plan meets the target.",
    "plan.seek.lever": "Lever",
    "plan.seek.choose": "Choose a lever",
    "plan.seek.choose_hint": "Choose the lever to move (a conversion, the deal size or "
    "recycling): the value that meets the target appears here.",
    "plan.seek.needed": "Needed to meet the target",
    "plan.seek.today": "today {value}",
    "plan.seek.apply": "Use {value} in the plan",
    "plan.seek.none": "This lever cannot close the gap alone: {reason}",
    "input.not_amount": "“{text}” is not an amount, so nothing changed: type digits with commas "
    "between thousands (8,500,000,000) or a unit (8.5B, 850M).",
    "param.revenue_kind": "Revenue",
    "param.onboarding_months": "Onboarding (months)",
    "param.renewal_rate": "Renewal rate (annual)",
    "param.renewal_rate_help": "Share of customers (and their revenue) kept each year.",
    "param.expansion_rate": "Expansion rate (annual)",
    "param.expansion_rate_help": "Annual upsell and cross-sell growth of retained revenue.",
    "param.reactivation": "Reactivation (per month)",
    "param.reactivation_help": "Share of the recycle pool reactivated each month.",
    "param.expiry": "Expiry (per month)",
    "param.expiry_help": "Share of the recycle pool that ages out each month.",
    "param.volume": "Reactivated per month",
    "param.volume_help": "A fixed number of items reactivated each month (at most the pool).",
    "param.pool_opening": "Recycle pool at the start",
    "param.opening": "Opening stock",
    "param.opening_count": "Customers at the start",
    "param.opening_mrr": "MRR at the start",
    "param.inflow": "Inflow",
    "revenue_kind.one_time": "One-time",
    "revenue_kind.subscription": "Subscription",
    "recycle_mode.rate": "Rate",
    "recycle_mode.volume": "Fixed volume",
    "target.kind.total": "Annual total",
    "target.kind.monthly": "Monthly",
    "target.kind.none": "No target",
    "target.kind_help.total": "A total over the plan's horizon; the inflow is the same every "
    "month.",
    "target.kind_help.monthly": "A target for every month; the inflow is solved month by month.",
    "unit.money": "{cur}",
    "unit.wins": "deals",
    "table.total": "Total",
    "funnel.conversion": "↓ {pct} convert",
    # errors and warnings
    "error.invalid": "This scenario cannot be planned: {field}: {reason}",
    "error.hint": "Change the value named above, or reset to the baseline in the sidebar.",
    "plan.model_warning": "Note from the model: {text}",
    "warning.ratio": "{ratio}×",
    "warning.lead_time_short": "{month}: within the lead time, so new inflow cannot reach it; "
    "the plan is short by {short} wins there.",
    "warning.already_met": "The opening pipeline and the customer base already meet the target "
    "({reached} against {target}): no new inflow is needed.",
    "plan.monthly.title": "Target and plan per month ({metric})",
    "plan.monthly.month": "Month",
    "plan.monthly.plan": "Plan",
    "plan.monthly.target": "Target",
    "plan.monthly.status": "Status",
    "plan.monthly.status.on": "Meets the target",
    "plan.monthly.status.short": "Short of the target",
    "plan.monthly.status.over": "Over the target",
    "plan.monthly.status.lead_time": "Within the lead time",
    "plan.monthly.status.off": "Misses the target",
    "plan.monthly.caption": "Bars: what the plan delivers each month. Dashed line: the target. "
    "The inflow is the one that brings every month closest to its target at once while staying "
    "steady; a month counts as missed when it is more than 1% and more than "
    "half a win off.",
    "plan.monthly.sep": ", ",
    "plan.monthly.misses": "Months that miss the target, and why:",
    "plan.monthly.within_lead": "{months}: within the lead time, so new inflow cannot reach "
    "them ({wins} wins short in all).",
    "plan.monthly.short": "{months}: {wins} wins short in all. {cause}",
    "plan.monthly.over": "{months}: {wins} wins over in all. {cause}",
    "plan.monthly.all_met": "Every month meets its target within 1%.",
    "warning.month_short": "{month}: {wins} wins short of the target. {cause}",
    "warning.month_over": "{month}: {wins} wins over the target. {cause}",
    "warning.cause.lead_time": "New inflow reaches this month only in part: with fractional lead "
    "times a month's inflow is won over several months.",
    "warning.cause.opening": "The opening pipeline alone already wins more than the target this "
    "month.",
    "warning.cause.steady": "The target changes faster than a steady inflow can follow, so the "
    "plan spreads the change over the neighbouring months.",
    "warning.volume_short": "The recycle pool cannot supply the fixed reactivation volume: from "
    "{month} it runs dry, and {supplied} of the {planned} planned reactivations happen over the "
    "horizon.",
    "warning.lever_not_needed": "The target is met without this lever: at its lowest allowed "
    "value the plan already reaches the target.",
    # the model's errors (model.errors.ScenarioError): the field in words, then the reason
    "model_field.file": "File",
    "model_field.scenario": "Scenario",
    "model_field.schema": "Schema version",
    "model_field.name": "Scenario name",
    "model_field.start": "First month",
    "model_field.months": "Horizon (months)",
    "model_field.draws": "Monte Carlo draws",
    "model_field.stages": "Stages",
    "model_field.stage_n": "Stage {n}",
    "model_field.key": "Key",
    "model_field.label": "Name",
    "model_field.owner": "Owner",
    "model_field.recycle": "Recycle pool",
    "model_field.deal": "Deal",
    "model_field.customers": "Existing customers",
    "model_field.target": "Target",
    "model_field.target_total": "Target total",
    "model_field.target_monthly": "Target per month",
    "model_field.target_metric": "Target metric",
    "model_field.divisions": "Divisions",
    "model_field.month": "{field}, month {n}",
    "model_field.end": "{field} ({end})",
    "model_text.range_missing": "missing: {keys}",
    "model_text.range_unknown": "not known: {keys}",
    "model_text.json_text": "The text",
    "model_error.not_a_number": "must be a number; it is {got}.",
    "model_error.not_finite": "must be a finite number; it is {got}.",
    "model_error.negative": "must not be negative; it is {value}.",
    "model_error.rate_out_of_range": "must be a rate from {low} to {high}; it is {value}.",
    "model_error.lag_out_of_range": "must be from {low} to {high}; it is {value}.",
    "model_error.bad_months": "must be a whole number of months from {low} to {high}; it is "
    "{value}.",
    "model_error.out_of_range": "must be from {low} to {high}; it is {value}.",
    "model_error.not_whole": "must be a whole number of months; it is {value}.",
    "model_error.range_keys": "a range needs exactly a low, a base and a high value ({detail}).",
    "model_error.range_low_above_base": "the low end ({low}) is above the target ({base}).",
    "model_error.range_base_above_high": "the target ({base}) is above the stretch ({high}).",
    "model_error.number_or_list_not_range": "must be a number, or one number per month, not a "
    "range.",
    "model_error.number_not_range": "must be a number, not a range.",
    "model_error.wrong_length": "needs {expected} values, one per month; it has {got}.",
    "model_error.not_an_object": "must be a JSON object; it is {got}.",
    "model_error.unknown_field": "is not a field of a scenario (the fields here are {allowed}).",
    "model_error.stages_not_a_list": "must be a list of stages; it is {got}.",
    "model_error.too_few_stages": "a funnel needs at least two stages; it has {count}.",
    "model_error.no_stage_key": "every stage needs a key (a short name); it is {got}.",
    "model_error.duplicate_stage_key": "another stage already has the key “{stage}”.",
    "model_error.not_text": "must be text; it is {got}.",
    "model_error.unknown_owner": "must be one of the divisions ({divisions}); it is {got}.",
    "model_error.terminal_stage_rates": "the last stage (won deals) has no rates and no lead time.",
    "model_error.conversion_required": "every stage but the last needs a conversion rate.",
    "model_error.rates_exceed_one": "conversion {conversion}, disqualify {disqualify} and "
    "recycle {recycle} add up to {total}, more than 100%.",
    "model_error.range_rates_exceed_one": "at the stretch ends of their ranges, conversion "
    "{conversion}, disqualify {disqualify} and recycle {recycle} add up to {total}, more than "
    "100%.",
    "model_error.unknown_stage": "there is no stage “{stage}” (the stages are {stages}).",
    "model_error.unsupported_schema": "only schema version 1 is supported; it is {got}.",
    "model_error.bad_currency": "must be a three-letter currency code such as JPY; it is {got}.",
    "model_error.start_required": "is required: the plan's first month, written YYYY-MM.",
    "model_error.bad_start": "must be a month written YYYY-MM, such as 2027-04; it is {got}.",
    "model_error.opening_in_won": "the last stage (won deals) holds no opening stock.",
    "model_error.reentry_into_won": "reactivated items cannot re-enter the last stage (won deals).",
    "model_error.unknown_revenue_kind": "must be one of {kinds}; it is {got}.",
    "model_error.unknown_division": "is not a division (the divisions are {divisions}).",
    "model_error.not_positive": "must be above zero; it is {value}.",
    "model_error.works_required": "needs the workload it carries: a stage ({stages}) or customers.",
    "model_error.per_head_required": "is required: the workload one fully productive person "
    "handles in a month.",
    "model_error.unknown_works": "must be a stage before the last ({stages}) or customers; it is "
    "{got}.",
    "model_error.works_terminal": "the last stage (won deals, “{stage}”) is no workload; choose an "
    "earlier stage or customers.",
    "model_error.unknown_basis": "must be one of {bases}; it is {got}.",
    "model_error.attrition_out_of_range": "must be an annual share from {low} up to, but not "
    "including, {high}; it is {value}.",
    "model_error.bridge_too_many_stages": "the variance bridge takes at most {high} stages; "
    "this plan has {count}.",
    "model_error.bridge_stage_keys": "the actual scenario needs the plan's stages in the plan's "
    "order ({stages}); it has {got}.",
    "model_error.bridge_months": "the months passed must be a whole number from {low} to {high}; "
    "it is {value}.",
    "model_error.bridge_months_not_whole": "the months passed must be a whole number; it is {got}.",
    "model_error.bridge_inflow_short": "the actual inflow covers {got} months; the bridge needs "
    "{expected}.",
    "model_error.seek_total_target": "goal seek needs a total target, reached with today's inflow.",
    "model_error.lever_unknown": "“{lever}” is not a lever for goal seek (the levers are "
    "{levers}).",
    "model_error.lever_unknown_stage": "“{stage}” is not a stage with a conversion rate (those "
    "are {stages}).",
    "model_error.lever_not_allowed": "“{lever}” cannot be sought in this scenario: the deal size "
    "does not move a wins target, the reactivation rate applies in rate mode only and the "
    "recycle volume in volume mode only.",
    "model_error.lever_unreachable": "no allowed value of “{lever}” reaches the target: at most "
    "{metric} {reached} against {target}.",
    "model_error.unknown_metric": "must be one of {metrics}; it is {got}.",
    "model_error.total_or_monthly": "give either a total or a monthly target, not both.",
    "model_error.deal_size_required": "must be above zero for a {metric} target.",
    "model_error.monthly_revenue_target": "a monthly target takes wins or bookings; revenue can "
    "only be a total target.",
    "model_error.file_unreadable": "cannot read {path} ({error}).",
    "model_error.file_not_utf8": "{path} is not UTF-8 text.",
    "model_error.invalid_json": "{source} is not valid JSON ({error}, line {line}, column "
    "{column}).",
    "model_error.too_deep": "is nested more than {limit} levels deep (objects and lists within "
    "each other).",
    "model_error.too_many_values": "holds more than {limit} values; a scenario needs far fewer.",
    "model_error.text_too_long": "is {found} characters long; at most {limit} are allowed.",
    "model_error.too_large": "is larger than the limit of {limit} bytes of JSON.",
    "model_error.too_many_stages": "a funnel has at most {limit} stages; this one has {found}.",
    "model_error.number_too_large": "must be at most {limit}; it is {got}.",
    "model_error.result_not_finite": "the plan's numbers overflow (beyond the largest number a "
    "computer holds): use smaller amounts.",
    "model_error.target_no_path": "however large the inflow, it never turns into {metric} "
    "within the plan (a conversion of 0% on the way, or lead times longer than the plan).",
    "model_error.target_levels_off": "new inflow turns into {metric} only through the recycle "
    "pool, whose monthly reactivations are capped, so however large the inflow the {metric} "
    "within the plan level off below the target.",
    "model_error.target_no_path_monthly": "however large the inflow, it never turns into a win "
    "within the horizon and the lead time (a conversion of 0% on the way).",
    "mc.running": "Running the Monte Carlo simulation…",
    "mc.p10": "P10",
    "mc.p25": "P25",
    "mc.p50": "Median",
    "mc.p75": "P75",
    "mc.p90": "P90",
    # overview
    "overview.title": "Overview",
    "overview.caption": "Plan from {start} to {end}.",
    "overview.target": "Target ({metric})",
    "overview.target_none": "Target",
    "overview.at_current": "{metric} at today's inflow",
    "overview.at_current_help": "The plan run forward with the scenario's current inflow "
    "({inflow} a month) and the opening pipeline.",
    "overview.gap": "Gap to target",
    "overview.gap_ratio": "{pct} of target",
    "overview.gap_help": "At today's inflow, minus the target.",
    "overview.run_rate_chance": "Chance at today's inflow",
    "overview.run_rate_delta": "today's {inflow} a month",
    "overview.run_rate_help": "Share of {draws} Monte Carlo draws of the committed ranges in "
    "which today's inflow ({inflow} a month, the scenario's own) reaches the target of "
    "{target}: the odds if nothing changes. Same basis as the gap.",
    "overview.run_rate_none": "no inflow today",
    "overview.run_rate_none_help": "The scenario carries no current inflow (0 a month), so "
    "there is no run-rate to compare with the target.",
    "overview.confidence": "Plan's confidence",
    "overview.confidence_delta": "the plan's {inflow} a month",
    "overview.confidence_help": "Share of {draws} Monte Carlo draws of the committed ranges in "
    "which the plan's inflow ({inflow} a month) reaches the target of {target}, every division "
    "delivering the plan's volumes. A plan sized on the base values is close to a coin flip.",
    "overview.need": "{stage}, 80% confidence",
    "overview.need_delta": "{value} for 90%",
    "overview.need_help": "The inflow per month that meets the target in 80% (and 90%) of the "
    "{draws} draws: the 80th (and 90th) percentile of the inflow each draw requires, solved for "
    "every draw (P10 {p10}, median {p50}, P90 {p90}). Out of reach where more draws than that "
    "cannot meet the target at any inflow.",
    "overview.need_unreachable": "out of reach",
    "overview.target_monthly_sum": "{value} (the sum of the monthly targets)",
    "overview.required_inflow": "{stage} required per month",
    "overview.required_inflow_help": "The new inflow into the first stage the target requires.",
    "overview.vs_current": "{value} vs current",
    "overview.vs_baseline": "{value} vs baseline",
    "overview.required_leads": "{stage} required per month",
    "overview.required_leads_help": "Mean monthly arrivals into the stage under the plan "
    "(new, recycled and opening pipeline together).",
    "overview.plan_bookings": "Planned bookings",
    "overview.plan_revenue": "Planned revenue",
    "overview.funnel": "The funnel over the plan",
    "overview.funnel_value": "Arrivals over the plan",
    "overview.funnel_conversion": "Conversion to the next stage",
    "overview.funnel_caption": "Bar width: arrivals into each stage over the horizon. The "
    "rate under a bar is its conversion into the next stage.",
    "overview.funnel_caption_log": "Bar width: arrivals into each stage over the horizon, on a "
    "logarithmic scale (the stages differ by more than 20×; each bar is labelled with its "
    "number). The rate under a bar is its conversion into the next stage.",
    "bottleneck.none": "No stage's conversion changes the plan: there is no bottleneck.",
    "bottleneck.reverse": "The bottleneck is {stage} → {next}: its conversion raised from {rate} "
    "to {to} ({how}) cuts the {first} required by {inflow} a month, more than any other stage's.",
    "bottleneck.forward": "The bottleneck is {stage} → {next}: its conversion raised from {rate} "
    "to {to} ({how}) adds {bookings} of bookings, more than any other stage's.",
    "bottleneck.how.range": "its committed stretch",
    "bottleneck.how.relative": "+10%",
    "bottleneck.close": "No single stage stands out: {stages} are worth within 5% of each other "
    "with their conversion at its stretch (+10% where unranged).",
    "bottleneck.and": " and ",
    # plan
    "plan.title": "Plan (back-calculation)",
    "plan.caption": "Set the target and the levers: the required inflow and the arrivals per "
    "stage follow at once.",
    "plan.target_kind": "Target",
    "plan.target_metric": "Metric",
    "plan.target_value.total": "Target total ({unit})",
    "plan.target_value.monthly": "Target per month ({unit})",
    "plan.target_value_help": "Changing the metric carries over the plan's current figure.",
    "plan.inflow": "Inflow: {stage} per month",
    "plan.tab_stages": "Stages",
    "plan.tab_deal": "Deal and customers",
    "plan.tab_recycle": "Recycle and opening pipeline",
    "plan.recycle_mode": "Reactivation",
    "plan.reentry": "Reactivated items re-enter",
    "plan.opening_pipeline": "Opening pipeline (stock at the start)",
    "plan.opening_stage": "{stage}",
    "plan.projected.wins": "Projected wins",
    "plan.projected.bookings": "Projected bookings",
    "plan.projected.revenue": "Projected revenue",
    "plan.vs_target": "{value} vs target",
    "plan.arrivals": "Arrivals per stage per month",
    "plan.arrivals_axis": "Arrivals",
    "plan.chart": "Chart",
    "plan.table": "Table",
    # divisions
    "div.title": "Divisions (responsibilities)",
    "div.caption": "Each division's number, the range it commits to for the rates it owns "
    "(low / target / stretch), and what its low end costs.",
    "div.band": "The band and the odds",
    "div.metric_base": "{metric}: the plan",
    "div.metric_low": "{metric}: all low ends",
    "div.metric_high": "{metric}: all stretches",
    "div.band_help": "With the plan's inflow and every committed range at its low end (or at "
    "its stretch) at once.",
    "div.band_failure.pessimistic": "With every range at its low end, the target cannot be "
    "reached: {reason}",
    "div.band_failure.optimistic": "With every range at its stretch, the target cannot be "
    "reached: {reason}",
    "div.fan_axis": "{metric} per month",
    "div.fan_caption": "Monte Carlo fan of {metric} per month with the planned inflow ({draws} "
    "draws): dark band P25–P75, light band P10–P90, line the median. Horizon total: P10 {p10}, "
    "median {p50}, P90 {p90}.",
    "div.fan_target": "The target: {target} over the plan.",
    "div.kpi": "KPI: {stage} per month",
    "div.kpi_help": "The monthly mean of the arrivals the plan requires.",
    "div.kpi_total": "{stage} over the plan",
    "div.kpi_band": "{stage} required with every range at its low end: {low}; at its "
    "stretch: {high}.",
    "div.kpi_customers": "Customers at the end",
    "div.kpi_mrr": "MRR at the end",
    "div.shortfall": "If this division lands at the low end of its range, revenue falls by "
    "**{revenue}** (bookings by {bookings}); at its stretch revenue rises by {gain}.",
    "div.no_range": "No committed range yet: give a low and a stretch below to see what a "
    "shortfall costs.",
    "div.monthly_target": "Monthly target",
    "div.levers": "Committed range of the rates it owns (%)",
    "div.end.low": "Low",
    "div.end.base": "Target",
    "div.end.high": "Stretch",
    "div.handoff": "Hand-off rule to the next division",
    "handoff.default.marketing": "Hand a lead to inside sales once it fits the target profile "
    "and has shown intent (a demo request, or a scored engagement).",
    "handoff.default.inside_sales": "Hand an opportunity to field sales once budget, authority, "
    "need and timing are confirmed and a meeting is booked.",
    "handoff.default.field_sales": "Hand a won customer to customer success at signature, "
    "with the goals agreed in the deal.",
    "handoff.default.customer_success": "Hand expansion leads back to field sales, and "
    "churned customers to marketing's recycle pool.",
    # stages
    "stages.title": "Stages and recycle",
    "stages.pile": "Stock piles up at {stage}: {stock} waiting at the end of the plan, "
    "{months} of its arrivals.",
    "stages.flow": "Flow: arrivals per stage",
    "stages.stock": "Stock per stage (end of month)",
    "stages.stock_axis": "Items in stage",
    "stages.pool": "The recycle pool",
    "stages.pool_end": "Pool at the end",
    "stages.reactivated_total": "Reactivated over the plan",
    "stages.recycled_total": "Recycled over the plan",
    "stages.pool_balance": "Pool balance",
    "stages.reactivated": "Reactivated",
    "stages.items_axis": "Items",
    "stages.recycled_axis": "Entering the pool, by stage",
    "stages.disqualified": "Disqualified volume",
    "stages.disqualified_axis": "Disqualified, by stage",
    "stages.summary": "Outcomes per stage over the plan",
    "stages.col.arrivals": "Arrivals",
    "stages.col.converted": "Converted",
    "stages.col.disqualified": "Disqualified",
    "stages.col.recycled": "Recycled",
    "stages.col.lost": "Lost",
    "stages.col.stock_end": "End stock",
    # customer success
    "cs.title": "Customer success",
    "cs.customers_end": "Customers at the end",
    "cs.mrr_end": "MRR at the end",
    "cs.nrr": "NRR (annual)",
    "cs.grr": "GRR (annual)",
    "cs.ltv": "LTV per customer",
    "cs.unbounded": "unbounded",
    "cs.monthly_churn": "Monthly churn",
    "cs.formulas_sub": "With r the annual renewal rate and e the annual expansion rate: "
    "monthly retention q = r^(1/12), monthly expansion g = (1+e)^(1/12) − 1. GRR = r; "
    "NRR = r × (1 + e); monthly churn = 1 − q; LTV = (deal size / 12) / (1 − q), the monthly "
    "revenue of a new customer over its expected life (no margin, no discounting, no "
    "expansion). MRR moves each month by new (wins after onboarding × deal size / 12), "
    "expansion (q × g × last month's MRR) and churn ((1 − q) × last month's MRR).",
    "cs.formulas_one_time": "One-time deals: revenue is booked at the win and there is no MRR. "
    "GRR = r (the share of customers kept a year); NRR = r × (1 + e); monthly churn = 1 − q "
    "with q = r^(1/12); LTV = deal size (one purchase).",
    "cs.customers": "Customers",
    "cs.customers_series": "Customers",
    "cs.onboarding": "In onboarding",
    "cs.customers_axis": "Customers",
    "cs.mrr": "MRR",
    "cs.mrr_series": "MRR",
    "cs.mrr_axis": "MRR",
    "cs.customer_moves": "New and churned customers",
    "cs.new": "New (billed)",
    "cs.churned": "Churned",
    "cs.mrr_moves": "MRR movements",
    "cs.mrr_new": "New",
    "cs.mrr_expansion": "Expansion",
    "cs.mrr_churn": "Churn",
    "cs.one_time": "One-time deals: no recurring revenue.",
    # sensitivity
    "sens.title": "Sensitivity",
    "sens.running": "Computing the sensitivity…",
    "sens.bookings": "Effect on bookings",
    "sens.bookings_axis": "Change of bookings over the plan",
    "sens.inflow": "Effect on the {stage} required",
    "sens.inflow_axis": "Change of {stage} required per month",
    "sens.down": "Moved down",
    "sens.up": "Moved up",
    "sens.low": "Low end",
    "sens.high": "High end",
    "sens.at": "At",
    "sens.effect": "Effect",
    "sens.view": "Swing each parameter by",
    "sens.view.range": "Its committed range",
    "sens.view.point": "+1 point on rates",
    "sens.view_help": "Its committed range: each division's low and stretch, ±10% where a "
    "parameter has no range. +1 point on rates: a point "
    "is a far larger step on a low rate (+44% on 2.3%), so it favours the lowest rate.",
    "sens.no_target": "Set a target on the Plan page to see the effect on the required inflow.",
    "sens.caption": "Each ranged parameter moved to the low and the high end of its committed "
    "range, each other rate, lead time and the deal size by ±10%, all else as planned. "
    "Bookings: with the planned inflow. Required inflow: re-solved for the target. Rows by "
    "the larger change; the bottleneck's bars are outlined in red.",
    "sens.caption_point": "Each rate moved by ±1 point, each lead time and the deal size by "
    "±10%, ranges ignored, all else as planned. A point is a far larger step on a low rate, so "
    "this view favours the lowest rate; the bottleneck above is judged on the committed ranges.",
    "sens.unreachable": "{name} at {value} puts the target out of reach at any inflow.",
}

JA: dict[str, str] = {
    "page.overview": "概要",
    "page.plan": "逆算プラン",
    "page.divisions": "責任範囲",
    "page.stages": "ステージとリサイクル",
    "page.customers": "カスタマーサクセス",
    "page.sensitivity": "感度分析",
    "sidebar.scenario": "シナリオ",
    "sidebar.unnamed": "(名称未設定のシナリオ)",
    "sidebar.source": "データソース",
    "sidebar.source_help": "CRMデータと流入元のページが読むデータセットです。新しいセッションは"
    "サンプルで始まり、取り込んだデータはそれぞれ専用のデータセットになります。",
    "sidebar.sample_ro": "サンプルデータ(読み取り専用)",
    "sidebar.dataset_gone": "データセット「{name}」は削除されました。サンプルデータに戻りました。",
    "sidebar.data_changed": "このシナリオを作った後に「{name}」のデータが変わりました。今のデータで"
    "計画するには、CRMデータのページでベースラインを作り直してください。",
    "sidebar.data_removed": "このシナリオのもとになったデータセット「{name}」は削除されました。",
    "sample.scenario_name": "2026年度計画(サンプル企業・AsIsベースライン)",
    "sidebar.present": "プレゼンテーションモード",
    "sidebar.present_help": "会議用:編集用の操作をすべて隠し、レンジを数字で示し、主要な数字を"
    "大きく表示し、概要→責任範囲→体制・採用計画→予実管理の順に進みます。この状態でコピーした"
    "リンクはこのモードで開きます(?present=1)。",
    "present.prev": "前へ",
    "present.next": "次へ",
    "present.where": "プレゼンテーション:{n} / {of}",
    "present.read_only": "プレゼンテーションモードでは計画を表示するだけで編集はできません。"
    "目標やレバーを変えるにはサイドバーでオフにしてください。",
    "present.ranges": "コミットしたレンジ:下限 / 目標 / ストレッチ。",
    "overview.projection": "目標と見込み:{metric}の累計",
    "cs.bridge": "売上ブリッジ:計画期間のMRR",
    "cs.bridge.opening": "期首MRR",
    "cs.bridge.new": "新規顧客",
    "cs.bridge.expansion": "拡大",
    "cs.bridge.churn": "解約",
    "cs.bridge.closing": "期末MRR",
    "cs.bridge_caption": "{first}初めのMRRから{last}末のMRRまで:期首のMRRに新規顧客のMRRと拡大を"
    "加え、解約を引いたものが期末のMRRです。下の表は同じことを月ごとに示します。",
    "overview.projection.plan": "計画",
    "overview.projection.now": "現在の流入のまま",
    "overview.projection.target": "目標",
    "overview.projection.band_text": "計画:{low}〜{high}(P10〜P90)",
    "overview.projection.caption": "各月末までの累計です。帯はモンテカルロ{draws}回の試行のうち"
    "80%(P10〜P90)が入る範囲、破線は最終月までに達成する目標です。",
    "overview.projection.caption_monthly": "各月末までの累計です。帯はモンテカルロ{draws}回の"
    "試行のうち80%(P10〜P90)が入る範囲、破線は月次目標の累計です。",
    "lead_source.organic_search": "自然検索",
    "lead_source.paid_search": "検索広告",
    "lead_source.webinar": "ウェビナー",
    "lead_source.exhibition": "展示会",
    "lead_source.referral": "紹介",
    "lead_source.partner": "パートナー",
    "lead_source.social": "SNS",
    "lead_source.email": "メール",
    "lead_source.display": "ディスプレイ広告",
    "lead_source.direct_traffic": "直接流入",
    "lead_source.other_publicities": "その他の広告",
    "lead_source.other": "その他",
    "lead_source.unknown": "不明",
    "sidebar.data_damaged": "このシナリオを作ったデータセット「{name}」のファイルが壊れているため、"
    "データを確認できません。データソースで選ぶと対処方法が表示されます。",
    "source.sample": "サンプルデータ",
    "sidebar.language": "言語",
    "sidebar.currency": "通貨",
    "sidebar.reset": "ベースラインに戻す",
    "sidebar.currency_asks": "シナリオの金額の通貨です。変更すると、入力した為替レートで"
    "すべての金額を換算するか、単位だけを変える(金額がすでにその通貨で入力されている場合)"
    "かを選べます。",
    "sidebar.currency_converted": "{when}に{frm}から換算しました(1 {frm} = {rate} {to})。",
    "sidebar.currency_relabelled": "{when}に単位を{frm}から{to}に変更しました。金額は換算して"
    "いません。",
    "currency.title": "通貨を{frm}から{to}に変更",
    "currency.intro": "シナリオの金額は{frm}です。為替レートで{to}に換算するか、金額がすでに"
    "{to}で入力されている場合は単位だけを変更します。",
    "currency.rate": "為替レート: 1 {frm} = ? {to}",
    "currency.rate_placeholder": "レートを入力",
    "currency.rate_help": "計画に使うレート(経理部門の予算レートなど)です。アプリはレートを"
    "取得しません。入力されたレートでだけ換算します。",
    "currency.rate_missing": "為替レートを入力すると換算後の金額が表示されます。",
    "currency.rate_typed_before": "このセッションで先ほど換算に使ったレートです。",
    "currency.rate_invalid": "為替レートは0より大きく{max}以下の数値で入力してください。",
    "currency.col.amount": "項目",
    "currency.col.now": "現在({cur})",
    "currency.col.after": "換算後({cur})",
    "currency.list_total": "{n}か月で{value}",
    "currency.note.spend": "記録: マーケティング費用",
    "currency.note.actual_to_date": "記録: {metric}の実績累計(再予測)",
    "currency.note.outlook": "記録: {metric}の着地見込み(再予測)",
    "currency.convert": "すべての金額を換算",
    "currency.convert_caption": "上の{n}件の金額にレートを掛けます(「記録」はシナリオの"
    "作成根拠として残された金額です)。件数(流入・受注数・人数)と率は変わりません。換算は"
    "記録に残り、ベースラインも換算されます。",
    "currency.relabel": "単位だけ変更: 金額はすでに{to}です",
    "currency.relabel_caption": "数値はそのままで{to}として扱います: {before}は{after}に"
    "なります。金額を{to}で入力した場合にだけ選んでください。",
    "currency.cancel": "キャンセル",
    "currency.data_note": "このページの金額はCRMデータの通貨({data})です(シナリオは{cur}建て、"
    "1 {data} = {rate} {cur}で換算済み)。",
    "currency.data_note_unknown": "このページの金額はCRMデータの通貨({data})です(シナリオは"
    "{cur}建て)。",
    "currency.actuals_in_scenario": "同じレートでシナリオの{cur}にすると: 計画累計{plan}、"
    "実績累計{actual}(計画比{gap})。",
    "currency.plan_converted": "計画「{name}」は{plan}建てです。{data}建てのデータと比べるため、"
    "換算時のレート(1 {data} = {rate} {plan})で{data}に戻して表示しています。ここで保存する"
    "再予測は{plan}に換算し直します。",
    "currency.compare_differs": "比べるシナリオの通貨が異なります({codes})。金額はそれぞれの"
    "通貨で表示し、差額とブリッジは出しません。金額を比べるには、一方をもう一方の通貨に換算"
    "(サイドバーの「通貨」)して保存してください。",
    "currency.plan_other": "計画「{name}」は{plan}建て、CRMデータは{data}建てで、両者の換算の"
    "記録がないため比べられません。{data}建てのバージョンを選ぶか、シナリオを{data}に換算し"
    "直して保存してください。",
    "stage.visitor": "訪問者",
    "stage.lead": "リード",
    "stage.opportunity": "商談",
    "stage.won": "受注",
    "division.marketing": "マーケティング",
    "division.inside_sales": "インサイドセールス",
    "division.field_sales": "フィールドセールス",
    "division.customer_success": "カスタマーサクセス",
    "metric.bookings": "受注金額",
    "metric.revenue": "売上",
    "metric.wins": "受注数",
    "param.conversion": "転換率",
    "param.conversion_help": "このステージから次のステージへ進む割合。",
    "param.disqualify": "育成対象外",
    "param.disqualify_help": "対象外として外れ、戻らない割合。",
    "param.recycle": "リサイクル",
    "param.recycle_help": "リサイクルプールに戻し、再育成する割合。",
    "param.lag": "リードタイム",
    "param.lag_months": "リードタイム(か月)",
    "param.lag_help": "ステージに入ってから結果が出るまでの月数。",
    "param.size": "受注単価",
    "param.size_amount": "受注単価({cur})",
    "input.amount_help": "金額は 8,500,000,000、85億、1億2,000万 のように入力できます。",
    "plan.range_moved": "{name}:コミットレンジが目標値とともに {before} から {after} に動きました"
    "(責任範囲ページで部門がレンジを設定するまで、レンジは目標値に合わせて動きます)。",
    "plan.range_widened": "{name}:部門が設定したレンジ {before} はそのままです。目標値がレンジを"
    "越えたため、その端を目標値に合わせました:{after}。",
    "plan.seek.title": "ゴールシーク:今の流入のまま目標に届くには",
    "plan.seek.caption": "今の{stage}(月{inflow})のまま、ほかのレバーは目標値で:"
    "目標を達成するレバー1つの最小値です。",
    "plan.seek.lever": "レバー",
    "plan.seek.choose": "レバーを選択",
    "plan.seek.choose_hint": "動かすレバー(転換率・平均単価・リサイクル)を選ぶと、"
    "目標を達成する値がここに表示されます。",
    "plan.seek.needed": "目標達成に必要な値",
    "plan.seek.today": "現在 {value}",
    "plan.seek.apply": "{value} を計画に使う",
    "plan.seek.none": "このレバーだけでは届きません:{reason}",
    "input.not_amount": "「{text}」は金額として読めないため、変更していません。"
    "8,500,000,000 のような数字か、85億・1億2,000万のように単位付きで入力してください。",
    "param.revenue_kind": "売上の計上",
    "param.onboarding_months": "オンボーディング(か月)",
    "param.renewal_rate": "更新率(年)",
    "param.renewal_rate_help": "1年で維持される顧客(と売上)の割合。",
    "param.expansion_rate": "拡大率(年)",
    "param.expansion_rate_help": "維持された売上のアップセル・クロスセルによる年間の伸び。",
    "param.reactivation": "再活性化率(月)",
    "param.reactivation_help": "リサイクルプールから毎月再活性化される割合。",
    "param.expiry": "失効率(月)",
    "param.expiry_help": "リサイクルプールから毎月失効する割合。",
    "param.volume": "毎月の再活性化数",
    "param.volume_help": "毎月再活性化する固定の件数(プール残高が上限)。",
    "param.pool_opening": "期首のリサイクルプール",
    "param.opening": "期首残高",
    "param.opening_count": "期首の顧客数",
    "param.opening_mrr": "期首のMRR",
    "param.inflow": "新規流入",
    "revenue_kind.one_time": "一括",
    "revenue_kind.subscription": "サブスクリプション",
    "recycle_mode.rate": "率",
    "recycle_mode.volume": "固定件数",
    "target.kind.total": "年間合計",
    "target.kind.monthly": "月次",
    "target.kind.none": "目標なし",
    "target.kind_help.total": "計画期間の合計目標。新規流入は毎月同じ数になります。",
    "target.kind_help.monthly": "月ごとの目標。新規流入を月ごとに逆算します。",
    "unit.money": "{cur}",
    "unit.wins": "件",
    "table.total": "合計",
    "funnel.conversion": "↓ 転換率 {pct}",
    "error.invalid": "このシナリオでは計画を立てられません: {field}: {reason}",
    "error.hint": "上に示された値を変更するか、サイドバーでベースラインに戻してください。",
    "plan.model_warning": "モデルからの注意: {text}",
    "warning.ratio": "{ratio}倍",
    "warning.lead_time_short": "{month}はリードタイム内のため、新規流入では間に合いません。"
    "この月は受注が{short}件不足します。",
    "warning.already_met": "期首パイプラインと既存顧客だけで目標を達成します"
    "({reached}/目標{target})。新規流入は不要です。",
    "plan.monthly.title": "月別の目標と計画({metric})",
    "plan.monthly.month": "月",
    "plan.monthly.plan": "計画",
    "plan.monthly.target": "目標",
    "plan.monthly.status": "状況",
    "plan.monthly.status.on": "目標どおり",
    "plan.monthly.status.short": "目標に不足",
    "plan.monthly.status.over": "目標を超過",
    "plan.monthly.status.lead_time": "リードタイム内",
    "plan.monthly.status.off": "目標から外れる月",
    "plan.monthly.caption": "棒: 計画が各月にもたらす値。破線: 目標。新規流入は、全ての月を"
    "同時に目標へ最も近づけ、かつ安定するように求めています。目標との差が1%かつ"
    "0.5件を超える月を「外れる月」としています。",
    "plan.monthly.sep": "、",
    "plan.monthly.misses": "目標から外れる月とその理由:",
    "plan.monthly.within_lead": "{months}: リードタイム内のため新規流入が間に合いません"
    "(合計{wins}件不足)。",
    "plan.monthly.short": "{months}: 合計{wins}件不足。{cause}",
    "plan.monthly.over": "{months}: 合計{wins}件超過。{cause}",
    "plan.monthly.all_met": "全ての月が目標から1%以内です。",
    "warning.month_short": "{month}: 受注が目標より{wins}件少なくなります。{cause}",
    "warning.month_over": "{month}: 受注が目標より{wins}件多くなります。{cause}",
    "warning.cause.lead_time": "リードタイムに端数があるため、ある月の新規流入は数か月に分かれて"
    "受注になり、この月には一部しか届きません。",
    "warning.cause.opening": "この月は期首パイプラインだけで目標を上回ります。",
    "warning.cause.steady": "目標の変化が安定した流入で追える速さを超えるため、計画は変化を"
    "前後の月に分散します。",
    "warning.volume_short": "リサイクルプールが固定の再活性化数を供給できません。{month}から"
    "プールが尽き、計画した{planned}件のうち期間中に再活性化されるのは{supplied}件です。",
    "warning.lever_not_needed": "このレバーがなくても目標を達成します。許される最小の値でも"
    "すでに目標に届いています。",
    "model_field.file": "ファイル",
    "model_field.scenario": "シナリオ",
    "model_field.schema": "スキーマのバージョン",
    "model_field.name": "シナリオ名",
    "model_field.start": "開始月",
    "model_field.months": "計画期間(か月)",
    "model_field.draws": "モンテカルロの試行回数",
    "model_field.stages": "ステージ",
    "model_field.stage_n": "{n}番目のステージ",
    "model_field.key": "キー",
    "model_field.label": "表示名",
    "model_field.owner": "担当部門",
    "model_field.recycle": "リサイクルプール",
    "model_field.deal": "受注条件",
    "model_field.customers": "既存顧客",
    "model_field.target": "目標",
    "model_field.target_total": "目標合計",
    "model_field.target_monthly": "月次目標",
    "model_field.target_metric": "目標の指標",
    "model_field.divisions": "部門",
    "model_field.month": "{field}({n}か月目)",
    "model_field.end": "{field}({end})",
    "model_text.range_missing": "不足: {keys}",
    "model_text.range_unknown": "不明: {keys}",
    "model_text.json_text": "入力されたテキスト",
    "model_error.not_a_number": "数値で指定してください(現在の値: {got})。",
    "model_error.not_finite": "有限の数値で指定してください(現在の値: {got})。",
    "model_error.negative": "マイナスにはできません(現在の値: {value})。",
    "model_error.rate_out_of_range": "{low}〜{high}の割合で指定してください(現在の値: {value})。",
    "model_error.lag_out_of_range": "{low}〜{high}で指定してください(現在の値: {value})。",
    "model_error.bad_months": "{low}〜{high}の整数か月で指定してください(現在の値: {value})。",
    "model_error.out_of_range": "{low}〜{high}で指定してください(現在の値: {value})。",
    "model_error.not_whole": "整数か月で指定してください(現在の値: {value})。",
    "model_error.range_keys": "レンジには下限(low)・目標(base)・ストレッチ(high)の3つの値が"
    "必要です({detail})。",
    "model_error.range_low_above_base": "下限({low})が目標({base})を上回っています。",
    "model_error.range_base_above_high": "目標({base})がストレッチ({high})を上回っています。",
    "model_error.number_or_list_not_range": "レンジではなく、数値か月ごとの数値のリストで"
    "指定してください。",
    "model_error.number_not_range": "レンジではなく数値で指定してください。",
    "model_error.wrong_length": "月ごとに1つずつ、{expected}個の値が必要です(現在は{got}個)。",
    "model_error.not_an_object": "JSONオブジェクトで指定してください(現在の値: {got})。",
    "model_error.unknown_field": "シナリオにない項目です(ここで使える項目: {allowed})。",
    "model_error.stages_not_a_list": "ステージのリストで指定してください(現在の値: {got})。",
    "model_error.too_few_stages": "ファネルには2つ以上のステージが必要です(現在は{count}個)。",
    "model_error.no_stage_key": "各ステージにはキー(短い識別名)が必要です(現在の値: {got})。",
    "model_error.duplicate_stage_key": "キー「{stage}」はすでに別のステージで使われています。",
    "model_error.not_text": "テキストで指定してください(現在の値: {got})。",
    "model_error.unknown_owner": "担当部門は{divisions}のいずれかです(現在の値: {got})。",
    "model_error.terminal_stage_rates": "最後のステージ(受注)には率もリードタイムも設定"
    "できません。",
    "model_error.conversion_required": "最後のステージ以外には転換率が必要です。",
    "model_error.rates_exceed_one": "転換率{conversion}・育成対象外{disqualify}・リサイクル"
    "{recycle}の合計が{total}になり、100%を超えています。",
    "model_error.range_rates_exceed_one": "レンジのストレッチ側では、転換率{conversion}・"
    "育成対象外{disqualify}・リサイクル{recycle}の合計が{total}になり、100%を超えます。",
    "model_error.unknown_stage": "ステージ「{stage}」はありません(ステージ: {stages})。",
    "model_error.unsupported_schema": "対応しているスキーマはバージョン1だけです(現在の値: "
    "{got})。",
    "model_error.bad_currency": "JPYのような3文字の通貨コードで指定してください(現在の値: {got})。",
    "model_error.start_required": "計画の最初の月をYYYY-MM形式で指定してください。",
    "model_error.bad_start": "2027-04のようにYYYY-MM形式で指定してください(現在の値: {got})。",
    "model_error.opening_in_won": "最後のステージ(受注)には期首残高を設定できません。",
    "model_error.reentry_into_won": "再活性化したリードを最後のステージ(受注)に戻すことは"
    "できません。",
    "model_error.unknown_revenue_kind": "{kinds}のいずれかで指定してください(現在の値: {got})。",
    "model_error.unknown_division": "部門ではありません(部門: {divisions})。",
    "model_error.not_positive": "0より大きい値で指定してください(現在の値: {value})。",
    "model_error.works_required": "担当する業務量を、ステージ({stages})か既存顧客(customers)で"
    "指定してください。",
    "model_error.per_head_required": "1人が1か月に処理できる業務量を指定してください。",
    "model_error.unknown_works": "最後以外のステージ({stages})か既存顧客(customers)で指定して"
    "ください(現在の値: {got})。",
    "model_error.works_terminal": "最後のステージ(受注「{stage}」)は業務量にできません。それより"
    "前のステージか既存顧客(customers)を指定してください。",
    "model_error.unknown_basis": "{bases}のいずれかで指定してください(現在の値: {got})。",
    "model_error.attrition_out_of_range": "{low}以上{high}未満の年間の割合で指定してください"
    "(現在の値: {value})。",
    "model_error.bridge_too_many_stages": "差異ブリッジは{high}ステージまでです"
    "(この計画は{count}ステージ)。",
    "model_error.bridge_stage_keys": "実績シナリオには計画と同じステージを同じ順序で"
    "指定してください(計画: {stages}、実績: {got})。",
    "model_error.bridge_months": "経過月数は{low}から{high}までの整数で指定してください"
    "(現在の値: {value})。",
    "model_error.bridge_months_not_whole": "経過月数は整数で指定してください(現在の値: {got})。",
    "model_error.bridge_inflow_short": "実績の新規流入は{got}か月分しかありません"
    "(ブリッジには{expected}か月分が必要です)。",
    "model_error.seek_total_target": "ゴールシークには目標合計が必要です(現在の新規流入で"
    "達成を目指します)。",
    "model_error.lever_unknown": "「{lever}」はゴールシークのレバーではありません"
    "(レバー: {levers})。",
    "model_error.lever_unknown_stage": "「{stage}」は転換率を持つステージではありません"
    "(該当するステージ: {stages})。",
    "model_error.lever_not_allowed": "このシナリオでは「{lever}」を探索できません。受注単価は"
    "受注数の目標を動かさず、再活性化率は率モード、再活性化数は数量モードでのみ使えます。",
    "model_error.lever_unreachable": "「{lever}」をどの値にしても目標に届きません"
    "(最大で{metric} {reached}、目標 {target})。",
    "model_error.unknown_metric": "{metrics}のいずれかで指定してください(現在の値: {got})。",
    "model_error.total_or_monthly": "目標合計と月次目標は、どちらか一方だけを指定してください。",
    "model_error.deal_size_required": "{metric}の目標には、0より大きい受注単価が必要です。",
    "model_error.monthly_revenue_target": "月次目標の指標は受注数か受注金額です。売上は目標合計"
    "でのみ指定できます。",
    "model_error.file_unreadable": "{path}を読み込めません({error})。",
    "model_error.file_not_utf8": "{path}はUTF-8のテキストではありません。",
    "model_error.invalid_json": "{source}は正しいJSONではありません({line}行{column}列目: "
    "{error})。",
    "model_error.too_deep": "オブジェクトやリストの入れ子が{limit}段を超えています。",
    "model_error.too_many_values": "値の数が上限の{limit}個を超えています。",
    "model_error.text_too_long": "文字数が上限の{limit}文字を超えています(現在は{found}文字)。",
    "model_error.too_large": "JSONの大きさが上限の{limit}バイトを超えています。",
    "model_error.too_many_stages": "ファネルのステージは{limit}個までです(現在は{found}個)。",
    "model_error.number_too_large": "{limit}以下で指定してください(現在の値: {got})。",
    "model_error.result_not_finite": "計画の数値が大きすぎて計算できません(桁あふれ)。"
    "金額や件数を小さくしてください。",
    "model_error.target_no_path": "新規流入をいくら増やしても、計画期間内に{metric}に"
    "つながりません(途中に転換率0%のステージがあるか、リードタイムが計画期間より長いため)。",
    "model_error.target_levels_off": "新規流入はリサイクルプール経由でしか{metric}につながらず、"
    "毎月の再活性化数に上限があるため、新規流入をいくら増やしても計画期間内の{metric}が目標の"
    "手前で頭打ちになります。",
    "model_error.target_no_path_monthly": "新規流入をいくら増やしても、計画期間とリードタイムの"
    "うちに受注につながりません(途中に転換率0%のステージがあるため)。",
    "mc.running": "モンテカルロ・シミュレーションを実行中…",
    "mc.p10": "P10",
    "mc.p25": "P25",
    "mc.p50": "中央値",
    "mc.p75": "P75",
    "mc.p90": "P90",
    "overview.title": "概要",
    "overview.caption": "計画期間: {start}〜{end}",
    "overview.target": "目標({metric})",
    "overview.target_none": "目標",
    "overview.at_current": "現状の流入での{metric}",
    "overview.at_current_help": "シナリオの現状の新規流入(月{inflow})と期首パイプラインで"
    "前向きに計算した見込み。",
    "overview.gap": "目標とのギャップ",
    "overview.gap_ratio": "{pct}(目標比)",
    "overview.gap_help": "現状の流入での見込みから目標を引いた値。",
    "overview.run_rate_chance": "現状の流入での達成確率",
    "overview.run_rate_delta": "現状の流入 月{inflow}",
    "overview.run_rate_help": "コミットされたレンジから{draws}回抽出したモンテカルロで、"
    "現状の流入(シナリオの流入、月{inflow})が目標{target}に届く割合。何も変えなかった場合の"
    "見込みで、ギャップと同じ前提です。",
    "overview.run_rate_none": "現状の流入なし",
    "overview.run_rate_none_help": "シナリオに現状の流入がない(月0)ため、目標と比べる"
    "ランレートがありません。",
    "overview.confidence": "計画の達成確度",
    "overview.confidence_delta": "計画の流入 月{inflow}",
    "overview.confidence_help": "コミットされたレンジから{draws}回抽出したモンテカルロで、"
    "計画の流入(月{inflow})が目標{target}に届く割合。各部門が計画どおりの量を届けた場合です。"
    "基準値で組んだ計画なら五分五分に近くなります。",
    "overview.need": "確度80%に必要な{stage}",
    "overview.need_delta": "90%なら{value}",
    "overview.need_help": "{draws}回の抽出のうち80%(90%)で目標に届く月あたりの流入。抽出ごとに"
    "逆算した必要な流入の80(90)パーセンタイルです(P10 {p10}、中央値 {p50}、P90 {p90})。"
    "どの流入でも届かない抽出がそれより多いと「届かない」と表示します。",
    "overview.need_unreachable": "届かない",
    "overview.target_monthly_sum": "{value}(月次目標の合計)",
    "overview.required_inflow": "必要な{stage}(月あたり)",
    "overview.required_inflow_help": "目標の達成に必要な、最初のステージへの新規流入。",
    "overview.vs_current": "{value}(現状比)",
    "overview.vs_baseline": "{value}(ベースライン比)",
    "overview.required_leads": "必要な{stage}(月あたり)",
    "overview.required_leads_help": "計画でこのステージに毎月流入する数の平均(新規・"
    "リサイクル・期首パイプラインの合計)。",
    "overview.plan_bookings": "計画の受注金額",
    "overview.plan_revenue": "計画の売上",
    "overview.funnel": "計画期間のファネル",
    "overview.funnel_value": "計画期間の流入",
    "overview.funnel_conversion": "次のステージへの転換率",
    "overview.funnel_caption": "棒の幅は計画期間中の各ステージへの流入数。棒の下の率は"
    "次のステージへの転換率です。",
    "overview.funnel_caption_log": "棒の幅は計画期間中の各ステージへの流入数を対数目盛で表して"
    "います(ステージ間の差が20倍を超えるため。実数は各棒のラベルのとおり)。棒の下の率は次のステージ"
    "への転換率です。",
    "bottleneck.none": "どのステージの転換率も計画を変えません。ボトルネックはありません。",
    "bottleneck.reverse": "ボトルネックは{stage}→{next}です。転換率を{rate}から{to}({how})"
    "に上げると、必要な{first}が月{inflow}減り、他のどのステージよりも効果があります。",
    "bottleneck.forward": "ボトルネックは{stage}→{next}です。転換率を{rate}から{to}({how})"
    "に上げると受注金額が{bookings}増え、他のどのステージよりも効果があります。",
    "bottleneck.how.range": "コミットしたストレッチ",
    "bottleneck.how.relative": "+10%",
    "bottleneck.close": "突出したボトルネックはありません。転換率をストレッチ(レンジがなければ"
    "+10%)に上げた効果は、{stages}で5%以内の差です。",
    "bottleneck.and": "と",
    "plan.title": "逆算プラン",
    "plan.caption": "目標と各レバーを設定すると、必要な新規流入とステージごとの流入がすぐに"
    "更新されます。",
    "plan.target_kind": "目標",
    "plan.target_metric": "指標",
    "plan.target_value.total": "目標合計({unit})",
    "plan.target_value.monthly": "月次目標({unit})",
    "plan.target_value_help": "指標を切り替えると、現在の計画の数値を引き継ぎます。",
    "plan.inflow": "新規流入: {stage}(月あたり)",
    "plan.tab_stages": "ステージ",
    "plan.tab_deal": "受注と顧客",
    "plan.tab_recycle": "リサイクルと期首パイプライン",
    "plan.recycle_mode": "再活性化",
    "plan.reentry": "再活性化したリードの戻り先",
    "plan.opening_pipeline": "期首パイプライン(期首残高)",
    "plan.opening_stage": "{stage}",
    "plan.projected.wins": "受注数の見込み",
    "plan.projected.bookings": "受注金額の見込み",
    "plan.projected.revenue": "売上の見込み",
    "plan.vs_target": "{value}(目標比)",
    "plan.arrivals": "ステージ別・月別の流入",
    "plan.arrivals_axis": "流入",
    "plan.chart": "グラフ",
    "plan.table": "表",
    "div.title": "責任範囲",
    "div.caption": "部門ごとのKPI、担当する率のコミットレンジ(下限/目標/ストレッチ)、"
    "下限に終わった場合の影響。",
    "div.band": "レンジと達成確率",
    "div.metric_base": "{metric}(計画)",
    "div.metric_low": "{metric}(全て下限)",
    "div.metric_high": "{metric}(全てストレッチ)",
    "div.band_help": "計画の流入のまま、コミットしたレンジをすべて同時に下限(またはストレッチ)"
    "にした場合。",
    "div.band_failure.pessimistic": "全レンジが下限のときは目標に届きません: {reason}",
    "div.band_failure.optimistic": "全レンジがストレッチのときも目標に届きません: {reason}",
    "div.fan_axis": "月次{metric}",
    "div.fan_caption": "計画の流入での月次{metric}のモンテカルロ・ファンチャート({draws}回)。"
    "濃い帯はP25〜P75、薄い帯はP10〜P90、線は中央値。期間合計: P10 {p10}、中央値 {p50}、"
    "P90 {p90}。",
    "div.fan_target": "目標: 計画期間で{target}。",
    "div.kpi": "KPI: {stage}(月あたり)",
    "div.kpi_help": "計画が必要とする流入の月平均。",
    "div.kpi_total": "計画期間の{stage}",
    "div.kpi_band": "全レンジが下限のときに必要な{stage}: {low}、ストレッチのとき: {high}。",
    "div.kpi_customers": "期末の顧客数",
    "div.kpi_mrr": "期末のMRR",
    "div.shortfall": "この部門がレンジの下限に終わると、売上は**{revenue}**減ります(受注金額は"
    "{bookings}減)。ストレッチなら売上は{gain}増えます。",
    "div.no_range": "コミットレンジがまだありません。下で下限とストレッチを入れると、未達の"
    "影響が表示されます。",
    "div.monthly_target": "月次目標",
    "div.levers": "担当する率のコミットレンジ(%)",
    "div.end.low": "下限",
    "div.end.base": "目標",
    "div.end.high": "ストレッチ",
    "div.handoff": "次の部門への引き渡しルール",
    "handoff.default.marketing": "ターゲット像に合い、関心を示した(デモ依頼・スコア到達)"
    "リードをインサイドセールスに引き渡す。",
    "handoff.default.inside_sales": "予算・決裁者・ニーズ・時期が確認でき、商談日程が"
    "決まった案件をフィールドセールスに引き渡す。",
    "handoff.default.field_sales": "契約締結時に、合意した導入目標とともにカスタマー"
    "サクセスに引き渡す。",
    "handoff.default.customer_success": "拡大の機会はフィールドセールスへ、解約した顧客は"
    "マーケティングのリサイクルプールへ戻す。",
    "stages.title": "ステージとリサイクル",
    "stages.pile": "残高が積み上がるのは{stage}です。計画期末に{stock}が滞留し、流入の"
    "{months}分にあたります。",
    "stages.flow": "フロー: ステージ別の流入",
    "stages.stock": "ステージ別の残高(月末)",
    "stages.stock_axis": "ステージ内の件数",
    "stages.pool": "リサイクルプール",
    "stages.pool_end": "期末のプール残高",
    "stages.reactivated_total": "計画期間の再活性化",
    "stages.recycled_total": "計画期間のリサイクル",
    "stages.pool_balance": "プール残高",
    "stages.reactivated": "再活性化",
    "stages.items_axis": "件数",
    "stages.recycled_axis": "プールへの流入",
    "stages.disqualified": "育成対象外の件数",
    "stages.disqualified_axis": "育成対象外(ステージ別)",
    "stages.summary": "計画期間のステージ別の結果",
    "stages.col.arrivals": "流入",
    "stages.col.converted": "転換",
    "stages.col.disqualified": "育成対象外",
    "stages.col.recycled": "リサイクル",
    "stages.col.lost": "失注・離脱",
    "stages.col.stock_end": "期末残高",
    "cs.title": "カスタマーサクセス",
    "cs.customers_end": "期末の顧客数",
    "cs.mrr_end": "期末のMRR",
    "cs.nrr": "NRR(年)",
    "cs.grr": "GRR(年)",
    "cs.ltv": "顧客あたりLTV",
    "cs.unbounded": "上限なし",
    "cs.monthly_churn": "月次解約率",
    "cs.formulas_sub": "r を年間更新率、e を年間拡大率とすると、月次維持率 q = r^(1/12)、"
    "月次拡大率 g = (1+e)^(1/12) − 1。GRR = r、NRR = r × (1 + e)、月次解約率 = 1 − q、"
    "LTV = (受注単価 / 12) / (1 − q)(新規顧客の月額売上×期待継続月数。粗利・割引・拡大は"
    "含まない)。MRRは毎月、新規(オンボーディング後の受注数 × 受注単価 / 12)、拡大"
    "(q × g × 前月MRR)、解約((1 − q) × 前月MRR)で動きます。",
    "cs.formulas_one_time": "一括計上: 売上は受注時に計上され、MRRはありません。GRR = r"
    "(1年で維持される顧客の割合)、NRR = r × (1 + e)、月次解約率 = 1 − q(q = r^(1/12))、"
    "LTV = 受注単価(1回の購入)。",
    "cs.customers": "顧客数",
    "cs.customers_series": "顧客数",
    "cs.onboarding": "オンボーディング中",
    "cs.customers_axis": "顧客数",
    "cs.mrr": "MRR",
    "cs.mrr_series": "MRR",
    "cs.mrr_axis": "MRR",
    "cs.customer_moves": "新規顧客と解約",
    "cs.new": "新規(課金開始)",
    "cs.churned": "解約",
    "cs.mrr_moves": "MRRの増減",
    "cs.mrr_new": "新規",
    "cs.mrr_expansion": "拡大",
    "cs.mrr_churn": "解約",
    "cs.one_time": "一括計上の取引: 継続売上はありません。",
    "sens.title": "感度分析",
    "sens.running": "感度を計算中…",
    "sens.bookings": "受注金額への影響",
    "sens.bookings_axis": "計画期間の受注金額の変化",
    "sens.inflow": "必要な{stage}への影響",
    "sens.inflow_axis": "必要な{stage}(月あたり)の変化",
    "sens.down": "下げた場合",
    "sens.up": "上げた場合",
    "sens.low": "下限側",
    "sens.high": "上限側",
    "sens.at": "値",
    "sens.effect": "影響",
    "sens.view": "各パラメータの動かし方",
    "sens.view.range": "コミットしたレンジ",
    "sens.view.point": "率を+1ポイント",
    "sens.view_help": "コミットしたレンジ: 各部門の下限とストレッチ(レンジがなければ±10%)。"
    "率を+1ポイント: 低い率ほど1ポイントが大きな変化"
    "(2.3%なら+44%)になるため、最も低い率が選ばれがちです。",
    "sens.no_target": "逆算プランで目標を設定すると、必要な流入への影響が表示されます。",
    "sens.caption": "レンジのあるパラメータはコミットしたレンジの下限とストレッチへ、その他の率・"
    "リードタイム・受注単価は±10%動かし、他は計画どおり。受注金額は計画の流入で、必要な流入は"
    "目標に対して逆算。変化の大きい順に並べ、ボトルネックの棒は赤枠で示します。",
    "sens.caption_point": "各率を±1ポイント、リードタイムと受注単価を±10%動かし(レンジは"
    "使わない)、他は計画どおり。低い率ほど1ポイントが大きな変化になるため、この表示は最も低い"
    "率を選びがちです。上のボトルネックはコミットしたレンジで判定しています。",
    "sens.unreachable": "{name}が{value}だと、どの流入でも目標に届きません。",
}


def _merge_area_catalogs() -> None:
    """Add the catalogs of ui/catalogs/*.py (one per area of the app) to EN and JA."""
    from .catalogs import actuals, capacity, data, errors, scenarios, summary

    for module in (scenarios, data, errors, capacity, actuals, summary):
        for base_, extra in ((EN, module.EN), (JA, module.JA)):
            clash = set(base_) & set(extra)
            if clash:
                raise RuntimeError(f"{module.__name__} redefines keys {sorted(clash)}")
            base_.update(extra)


_merge_area_catalogs()
CATALOGS = {"en": EN, "ja": JA}


def default_language(locale: str | None) -> str:
    """Japanese for a ``ja*`` browser locale, English otherwise."""
    return "ja" if (locale or "").lower().startswith("ja") else DEFAULT_LANG


_SPEAKING: ContextVar[str | None] = ContextVar("speaking", default=None)


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Inside the block ``t()`` speaks ``language`` whatever the session's (a document made in
    a language of its own: the PDF summary, also outside a session)."""
    token = _SPEAKING.set(language if language in CATALOGS else DEFAULT_LANG)
    try:
        yield
    finally:
        _SPEAKING.reset(token)


def lang() -> str:
    """The session's language (English outside a Streamlit session), or the one of
    :func:`speaking`."""
    forced = _SPEAKING.get()
    if forced is not None:
        return forced
    try:
        import streamlit as st

        value = st.session_state.get("lang")
    except Exception:  # no session: unit tests, the CLI
        value = None
    return value if value in CATALOGS else DEFAULT_LANG


def translate(key: str, language: str, **kw: Any) -> str:
    text = CATALOGS.get(language, EN).get(key) or EN.get(key) or key
    return text.format(**kw) if kw else text


def t(key: str, **kw: Any) -> str:
    """The text of ``key`` in the session's language, with ``{placeholders}`` filled."""
    return translate(key, lang(), **kw)


def has(key: str) -> bool:
    return key in EN
