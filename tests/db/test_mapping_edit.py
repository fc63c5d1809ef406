"""A mapping with the user's column choices (db.mapping_edit)."""

from __future__ import annotations

from db.mapping_edit import is_edited, missing_fields, named, stage_date_field, with_choices


def items_base() -> dict:
    return {
        "kind": "items",
        "label": "My CRM",
        "columns": {"item_id": "ID", "owner": "Owner"},
        "stage_dates": {"lead": "Created"},
        "dayfirst": True,
    }


def test_unedited_is_a_copy_of_the_mapping():
    base = items_base()
    got = with_choices(base, {"item_id": "X"}, ["lead"], False, edited=False)
    assert got == base and got is not base
    got["columns"]["item_id"] = "changed"
    assert base["columns"]["item_id"] == "ID"  # a deep copy


def test_edited_takes_the_choices_and_drops_the_label():
    chosen = {"item_id": "Lead ID", "owner": None, "source": "Src",
              "@lead": "Created on", "@deal": None}  # fmt: skip
    got = with_choices(items_base(), chosen, ["lead", "deal"], False, edited=True)
    assert got["columns"] == {"item_id": "Lead ID", "source": "Src"}
    assert got["stage_dates"] == {"lead": "Created on"}
    assert got["dayfirst"] is False
    assert "label" not in got


def test_edited_history_mapping_has_no_stage_dates():
    base = {"kind": "history", "columns": {}}
    got = with_choices(base, {"item_id": "id", "stage": "s"}, ["lead"], True, edited=True)
    assert "stage_dates" not in got
    assert got["columns"] == {"item_id": "id", "stage": "s"}


def test_is_edited():
    base = {"dayfirst": False}
    same = {"item_id": "ID", "@lead": None}
    assert not is_edited(same, dict(same), False, base)
    assert is_edited({"item_id": "Other", "@lead": None}, same, False, base)
    assert is_edited(same, dict(same), True, base)
    assert is_edited(same, dict(same), False, {})  # a mapping without the setting is day-first


def test_missing_fields_in_the_kinds_order():
    assert missing_fields("history", {"stage": "S"}) == ["item_id", "entered_at", "outcome"]
    assert missing_fields("spend", {"month": "m", "source": "s", "spend": "x"}) == []


def test_named_and_stage_date_field():
    body = named(items_base(), "Mine")
    assert body["label"] == "Mine" and items_base()["label"] == "My CRM"
    assert stage_date_field("opportunity") == "@opportunity"
