"""ui.data_import and ui.data_mapping: what an import says it did, where it can go, the names of
encodings and mappings, and the uploads' signature."""

from __future__ import annotations

from types import SimpleNamespace

from db.imports import list_mappings
from ui.common import Fmt
from ui.data_import import (
    ENCODINGS,
    NEW,
    encoding_names,
    imported_text,
    outcome_record,
    target_options,
    upload_signature,
)
from ui.data_mapping import mapping_labels
from ui.format import inert
from ui.i18n import speaking


def test_upload_signature_is_short_and_new_with_every_upload():
    a = upload_signature(["f1", "f2"])
    assert len(a) == 10 and a == upload_signature(iter(["f1", "f2"]))
    assert a != upload_signature(["f1"]) != upload_signature([])


def result(**kw):
    base = dict(rows_written=1234, rows_read=1300, rows_skipped=66, files=("leads.csv",),
                table="stage_history", warnings=[])  # fmt: skip
    return SimpleNamespace(**(base | kw))


def test_outcome_record_and_its_message(F):
    rec = outcome_record(result(), "leads (2)", replaced=False)
    assert rec == {"rows_written": 1234, "rows_read": 1300, "rows_skipped": 66,
                   "files": ["leads.csv"], "table": "stage_history", "dataset": "leads (2)",
                   "replaced": False, "warnings": []}  # fmt: skip
    text = imported_text(rec, F)
    assert text.startswith("Imported 1,234 rows into ")
    assert "(1,300 rows read)" in text and text.endswith(f"Dataset: “{inert('leads (2)')}”.")
    replaced = imported_text(outcome_record(result(), "*x*", replaced=True), F)
    assert replaced.endswith("The data of the dataset “\\*x\\*” was replaced.")  # inert
    with speaking("ja"):
        assert "1,234" in imported_text(rec, Fmt("ja", "JPY"))


def test_encoding_names():
    names = encoding_names()
    assert list(names) == ENCODINGS
    assert names["auto"] == "Detect automatically" and names["cp932"] == "cp932"


def test_target_options_a_new_dataset_first():
    own = [SimpleNamespace(id="d1", name="leads"), SimpleNamespace(id="d2", name="deals")]
    targets, names = target_options(own)
    assert targets == [NEW, "d1", "d2"]
    assert names == {NEW: "A new dataset", "d1": "leads", "d2": "deals"}
    assert target_options([]) == ([NEW], {NEW: "A new dataset"})


def test_mapping_labels_presets_by_catalog_saved_by_name():
    options = list_mappings() + [{"name": "My CRM", "origin": "saved"}]
    labels = mapping_labels(options)
    assert labels["My CRM"] == "My CRM (saved)"
    assert labels["olist"] != "olist"  # the catalog's name of the preset
    assert all(labels[m["name"]] for m in options)
