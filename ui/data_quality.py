"""The Data page's quality report (:func:`db.quality.quality_report`): a row per check with what
it found, and per check that found something its explanation, the numbers that lie as sentences
(:mod:`db.lies`' hits) and the example rows with their columns named in words."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from . import data_cache
from .common import Fmt
from .format import inert as md
from .i18n import has, t


def quality_frame(findings: Sequence[Any]) -> pd.DataFrame:
    """The report's table: each check, what it counted, and found or fine."""
    return pd.DataFrame(
        {
            t("data.q.check"): [t(f"quality.{f.check}") for f in findings],
            t("data.q.count"): [f.count for f in findings],
            t("data.q.status"): [t("data.q.found" if f.count else "data.q.ok") for f in findings],
        }
    )


def lie_text(check: str, hit: dict, F: Fmt) -> str:
    """One hit of a numbers-that-lie finding (db.lies) as a sentence in the session's language;
    owner names and stage keys made inert (the sentence is markdown)."""
    share = {k: F.pct(hit[k]) for k in ("rate", "rest", "pooled_conversion", "conversion_without")
             if hit.get(k) is not None}  # fmt: skip
    listed = {k: ", ".join(f"{md(F.month(m['name']) if k == 'months' else m['name'])} "
                           f"({F.count(m['items'])})" for m in hit.get(k, []))
              for k in ("months", "owners")}  # fmt: skip
    stage = t(f"stage.{hit['stage']}") if has(f"stage.{hit['stage']}") else hit["stage"]
    kw = {"stage": md(stage), "owner": md(hit.get("owner", "")), "months": listed["months"],
          "owners": listed["owners"], "rate": share.get("rate"), "rest": share.get("rest"),
          "pooled": share.get("pooled_conversion"), "without": share.get("conversion_without"),
          **{k: F.count(hit[k]) for k in ("count", "items", "open") if k in hit}}  # fmt: skip
    if check == "stage_drift":
        conv = hit["metric"] == "conversion"
        kw |= {"month": F.month(hit["month"]), "n_before": F.count(hit["items_before"]),
               "n_after": F.count(hit["items_after"]), "horizon": F.count(hit["horizon_days"]),
               **{k: F.pct(hit[k]) if conv else F.count(hit[k], digits=1)
                  for k in ("before", "after")}}  # fmt: skip
        return t(f"quality.stage_drift.hit_{hit['metric']}", **kw)
    if check == "never_touched":
        kw["limit"] = F.count(hit["limit_days"])
    return t(f"quality.{check}.hit", **kw)


def examples_frame(examples: pd.DataFrame) -> pd.DataFrame:
    """A finding's example rows with their columns in words (they are db's own keys)."""
    return examples.rename(columns=lambda c: t(f"data.qcol.{c}") if has(f"data.qcol.{c}") else c)


def quality_report(con: Any, version: str, F: Fmt) -> None:
    """The caption (how many checks found something), the table, and an expander per finding."""
    findings = data_cache.quality(version, con)
    found = [f for f in findings if f.count]
    st.caption(t("data.quality_caption", n=len(found), total=len(findings)))
    # every check in sight: at ten rows the table hid the last checks behind a scroll
    with st.container(key="fit-data-quality"):
        st.dataframe(quality_frame(findings), hide_index=True, width="stretch", height="content",
                     key="data.quality_table")  # fmt: skip
    for f in found:
        with st.expander(t("data.q.examples", check=t(f"quality.{f.check}"), n=F.count(f.count))):
            st.caption(t(f"quality.{f.check}.help"))
            for hit in f.params.get("hits", []):
                st.markdown("- " + lie_text(f.check, hit, F))
            st.dataframe(examples_frame(f.examples), hide_index=True, width="stretch")
