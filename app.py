"""Placeholder entry point: shows the plan of the bundled example (the real app is issue 4)."""

import json
from pathlib import Path

import streamlit as st

from model import parse_scenario, run_plan

st.set_page_config(page_title="The Model planner", layout="wide")
scenario = parse_scenario(json.loads(Path("examples/fy2027-plan.json").read_text("utf-8")))
plan = run_plan(scenario)
st.title(scenario.name)
st.metric("Required inflow per month", f"{plan.required_inflow_per_month:,.0f}")
st.dataframe(plan.to_frame().pivot_table(index="month", columns=["stage", "measure"], values="value"))
