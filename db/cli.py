"""``python -m db``: import files, print AsIs metrics, the quality report, a baseline scenario,
and manage stored scenarios.

    python -m db --db funnel.duckdb import leads.csv --preset salesforce_leads
    python -m db --db funnel.duckdb import leads=mql.csv deals=deals.csv --preset olist
    python -m db --db funnel.duckdb import counts.xlsx --mapping my_mapping.json --save-mapping m
    python -m db metrics [--table stage_summary] [--start 2025-04 --end 2026-03]
    python -m db quality [--open-days 180]
    python -m db baseline [--start ... --end ... --plan-start 2026-04 --target-growth 0.2]
                          [--stale-after N | --stale-after STAGE=N ...] [--stale-as-lost]
    python -m db scenarios --store scenarios.duckdb list | show NAME [-v N] | export NAME
    python -m db scenarios save NAME FILE --author A [--note N] [--parent V [--force]]
    python -m db scenarios import FILE --author A
    python -m db scenarios --store postgresql://USER@HOST/DB list   (a PostgreSQL store)
    python -m db scenarios diff NAME A B
    python -m db datasets [--home DIR] list | rename ID NAME | remove ID
    python -m db heads HEADS.csv --scenario SCENARIO.json   (heads by division and month)

Without ``--db`` the commands read the bundled sample company (in memory). ``import`` creates
the ``--db`` file when it does not exist; the commands that read (metrics, quality, baseline,
backtest, presets) do not: ``error: no database at PATH``, status 2. Errors print ``error: ...``
on stderr and exit 1 (2 for an invalid scenario or a missing database, 64 for a usage error).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import duckdb

from db.errors import DataLayerError

USAGE_ERROR = 64
NO_DATABASE = 2  # a command that reads names a --db file that does not exist


class NoDatabaseError(DataLayerError):
    """``--db`` names no file, for a command that only reads (it would create an empty one and
    report on nothing)."""

    def __init__(self, path: str) -> None:
        super().__init__(f"no database at {path}")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(USAGE_ERROR)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m db", description="The data layer of the planning tool.")
    p.add_argument("--db", help="DuckDB file (default: the bundled sample, in memory)")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    imp = sub.add_parser("import", help="import CSV/Excel/Parquet through a preset or mapping")
    imp.add_argument("files", nargs="+", help="FILE, or ROLE=FILE for multi-file presets")
    how = imp.add_mutually_exclusive_group(required=True)
    how.add_argument("--preset", help="a built-in preset or a saved mapping's name")
    how.add_argument("--mapping", help="a mapping JSON file")
    imp.add_argument("--encoding", help="utf-8, utf-8-sig, cp932 (default: detected)")
    imp.add_argument("--sheet", help="Excel sheet name (default: the first)")
    imp.add_argument("--replace", action="store_true", help="replace the table's rows")
    imp.add_argument("--save-mapping", metavar="NAME", help="also save the mapping as NAME")

    sub.add_parser("presets", help="list the built-in presets and saved mappings")

    met = sub.add_parser("metrics", help="print AsIs metrics as CSV")
    met.add_argument("--start")
    met.add_argument("--end")
    met.add_argument(
        "--table",
        default="stage_summary",
        choices=[
            "stage_summary",
            "stage_cohorts",
            "stock",
            "arrivals",
            "recycle_pool",
            "feedback_by_source",
            "feedback_by_segment",
        ],  # fmt: skip
    )

    q = sub.add_parser("quality", help="print the data-quality report")
    q.add_argument("--open-days", type=int, default=180)

    b = sub.add_parser("baseline", help="print the AsIs baseline scenario JSON")
    b.add_argument("--start")
    b.add_argument("--end")
    b.add_argument("--plan-start")
    b.add_argument("--months", type=int, default=12)
    b.add_argument("--target-growth", type=float, help="bookings target above the run-rate")
    b.add_argument("--ranges", action="store_true", help="ranges on rates and deal size")
    b.add_argument("--name")

    bt = sub.add_parser("backtest", help="run the baseline over its window vs actual arrivals")
    bt.add_argument("--start")
    bt.add_argument("--end")
    for a in (b, bt):
        a.add_argument(
            "--stale-after", action="append", type=_stale_after, metavar="[STAGE=]N",
            help="months after which an open item is stale (for every stage, or STAGE=N; "
            "repeatable; default: twice the 95th percentile of the stage's resolution ages, "
            "at least 3)",
        )  # fmt: skip
        a.add_argument(
            "--stale-as-lost",
            action="store_true",
            help="count stale open items as lost instead of setting them aside",
        )

    sub.add_parser("sample-scenario", help="rewrite data/sample_scenario.json")

    ds = sub.add_parser("datasets", help="the app's imported datasets (list, rename, remove)")
    ds.add_argument("--home", help="the planner's folder (default: $PLANNER_HOME or .planner)")
    dss = ds.add_subparsers(dest="action", required=True)
    dss.add_parser("list")
    rn = dss.add_parser("rename")
    rn.add_argument("id")
    rn.add_argument("name")
    rm = dss.add_parser("remove")
    rm.add_argument("id")

    hd = sub.add_parser(
        "heads", help="print a scenario with its teams' heads by month from a sheet"
    )
    hd.add_argument("file", help="CSV or Excel: division, month, heads (English or Japanese)")
    hd.add_argument("--scenario", required=True, help="the scenario JSON whose teams it fills")

    sc = sub.add_parser("scenarios", help="stored scenario versions")
    sc.add_argument(
        "--store",
        help="the scenario store: a DuckDB file, or a postgresql:// URL (libpq; a unix socket "
        "as postgresql:///DB?host=/var/run/postgresql); default: $PLANNER_STORE, else "
        "scenarios.duckdb in $PLANNER_HOME (or .planner), the app's",
    )
    ss = sc.add_subparsers(dest="action", required=True, parser_class=_Parser)
    ss.add_parser("list")
    for action in ("show", "export"):
        a = ss.add_parser(action)
        a.add_argument("name")
        a.add_argument("-v", "--version", type=int)
    sv = ss.add_parser("save")
    sv.add_argument("name")
    sv.add_argument("file")
    sv.add_argument("--author", required=True)
    sv.add_argument("--note", default="")
    sv.add_argument(
        "--parent",
        type=int,
        metavar="N",
        help="the version FILE was edited from: refuse the save if N is no longer the latest",
    )
    sv.add_argument("--force", action="store_true", help="save even if --parent is not the latest")
    im = ss.add_parser("import")
    im.add_argument("file")
    im.add_argument("--author", required=True)
    im.add_argument("--name")
    d = ss.add_parser("diff")
    d.add_argument("name")
    d.add_argument("a", type=int)
    d.add_argument("b", type=int)
    return p


def _stale_after(text: str) -> tuple[str | None, int]:
    """``N`` or ``STAGE=N`` (whole months, 0 or more)."""
    stage, sep, n = text.rpartition("=")
    if not n.strip().isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not N or STAGE=N (whole months, 0 or more)")
    return (stage.strip() if sep else None), int(n)


def _stale_limits(values: list[tuple[str | None, int]] | None) -> int | dict[str, int] | None:
    """The ``stale_after`` of ``build_baseline`` from the ``--stale-after`` options: one number
    for every stage, or per stage (a later option wins)."""
    if not values:
        return None
    if all(stage is None for stage, _ in values):
        return values[-1][1]
    every = next((n for stage, n in reversed(values) if stage is None), None)
    limits = {stage: n for stage, n in values if stage is not None}
    if every is not None:
        raise DataLayerError("--stale-after: give one N for every stage or STAGE=N, not both")
    return limits


def _open(args: argparse.Namespace, *, write: bool = False) -> duckdb.DuckDBPyConnection:
    if args.db is None:
        if write:
            raise DataLayerError("import needs --db FILE (the database to import into)")
        from db.sample import open_sample_database

        return open_sample_database()
    if not write and args.db != ":memory:" and not Path(args.db).exists():
        raise NoDatabaseError(args.db)
    from db.connection import open_database

    return open_database(args.db, lock_timeout=5.0).con


def _read_text(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise DataLayerError(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise DataLayerError(f"{path} is not UTF-8 text") from None


def _import(args: argparse.Namespace, out) -> int:
    from db.imports import import_files, load_mapping, open_file, save_mapping
    from db.imports.mapping import check_mapping_name

    con = _open(args, write=True)
    try:
        if args.mapping:
            try:
                mapping = json.loads(_read_text(args.mapping))
            except json.JSONDecodeError as exc:
                raise DataLayerError(f"{args.mapping} is not JSON: {exc.msg}") from None
        else:
            mapping = load_mapping(con, args.preset)
        if args.save_mapping:  # a name that cannot be saved fails before any row is written
            check_mapping_name(args.save_mapping, mapping)
        roles = list(mapping.get("files") or ["main"])
        files = {}
        for i, spec in enumerate(args.files):
            role, sep, path = spec.partition("=")
            if not sep or Path(spec).exists():
                role, path = (roles[i] if i < len(roles) else f"file{i + 1}"), spec
            files[role] = open_file(path, encoding=args.encoding, sheet=args.sheet)
        result = import_files(con, files, mapping, replace=args.replace, preset_name=args.preset)
        if args.save_mapping:
            save_mapping(con, args.save_mapping, mapping)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    print(
        f"imported {result.rows_written} row(s) into {result.table} from "
        f"{', '.join(result.files)} ({result.rows_read} read, encoding "
        f"{', '.join(e or '-' for e in result.encodings)}; stages {', '.join(result.stages)})",
        file=out,
    )
    for w in result.warnings:
        print(f"warning: {w}", file=out)
    return 0


def _home() -> Path:
    """The planner's folder, as the app finds it (``ui.state.home``): ``$PLANNER_HOME``, else
    ``.planner`` in the working folder."""
    folder = Path(os.environ.get("PLANNER_HOME") or Path.cwd() / ".planner")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _scenarios(args: argparse.Namespace, out) -> int:
    from db.scenarios import STORE_FILE, open_store

    # as the app: --store, else $PLANNER_STORE, else the file in the planner's folder
    store = open_store(args.store or os.environ.get("PLANNER_STORE") or _home() / STORE_FILE)
    for w in getattr(store, "warnings", list)():  # a recovery on record: say it every time
        print(f"warning: {w}", file=sys.stderr)
    if args.action == "list":
        for r in store.list():
            print(f"{r['name']}\tv{r['version']}\t{r['created_at']:%Y-%m-%d %H:%M}\t"
                  f"{r['author']}\t{r['note']}", file=out)  # fmt: skip
    elif args.action == "show":
        json.dump(store.load(args.name, args.version), out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif args.action == "export":
        out.write(store.export_json(args.name, args.version))
    elif args.action == "save":
        from db.scenarios import _read_json  # the model's limits, before json.loads

        scenario = _read_json(_read_text(args.file))
        v = store.save(
            args.name, scenario, author=args.author, note=args.note, parent=args.parent,
            force=args.force,
        )  # fmt: skip
        print(f"saved {args.name} version {v}", file=out)
    elif args.action == "import":
        name, v = store.import_json(_read_text(args.file), author=args.author, name=args.name)
        print(f"saved {name} version {v}", file=out)
    elif args.action == "diff":
        for d in store.diff(args.name, args.a, args.b):
            print(f"{d['path']}\t{json.dumps(d['a'])}\t{json.dumps(d['b'])}", file=out)
    return 0


def _datasets(args: argparse.Namespace, out) -> int:
    """The datasets the app lists in its sidebar: id, name, created, rows, file."""
    from db.datasets import Datasets

    sets = Datasets(Path(args.home) if args.home else _home())
    if args.action == "list":
        for d in sets.list():
            rows = "?"
            try:
                con = duckdb.connect(str(d.path), read_only=True)
                try:
                    (rows,) = con.execute("SELECT count(*) FROM stage_history").fetchone()
                finally:
                    con.close()
            except duckdb.Error:
                rows = "damaged"
            print(f"{d.id}\t{d.name}\t{d.created_at}\t{rows}\t{d.path}", file=out)
    elif args.action == "rename":
        d = sets.rename(args.id, args.name)
        print(f"renamed {d.id} to {d.name}", file=out)
    else:
        sets.remove(args.id)
        print(f"removed {args.id}", file=out)
    return 0


def _heads(args: argparse.Namespace, out) -> int:
    """The scenario with the ``heads`` of the divisions in the sheet replaced by their lists
    (``db.heads``); bad input (the sheet or the scenario) is one line and status 2."""
    from db.heads import read_heads
    from db.scenarios import _read_json  # the model's limits, before json.loads
    from model import ScenarioError, parse_scenario
    from ui.i18n import CATALOGS  # the divisions' names as the app shows them

    try:
        scenario = _read_json(_read_text(args.scenario))
        parsed = parse_scenario(scenario)
        names = {
            d: [c[f"division.{d}"] for c in CATALOGS.values()] for d, _ in parsed.capacity or ()
        }
        try:
            data = Path(args.file).read_bytes()
        except OSError as exc:
            raise DataLayerError(f"cannot read {args.file}: {exc.strerror}") from None
        lists = read_heads(data, Path(args.file).name, parsed.start, parsed.months, names)
    except (DataLayerError, ScenarioError) as exc:
        print(f"error: {' '.join(str(exc).split())}", file=sys.stderr)
        return 2
    for division, heads in lists.items():
        scenario["capacity"][division]["heads"] = heads
    out.write(json.dumps(scenario, ensure_ascii=False, indent=2, allow_nan=False) + "\n")
    return 0


def run(args: argparse.Namespace, out) -> int:
    if args.command == "heads":
        return _heads(args, out)
    if args.command == "import":
        return _import(args, out)
    if args.command == "scenarios":
        return _scenarios(args, out)
    if args.command == "datasets":
        return _datasets(args, out)
    if args.command == "presets":
        from db.imports import list_mappings
        from db.imports.presets import DOCUMENTED

        con = _open(args) if args.db else None
        for m in list_mappings(con):
            print(f"{m['name']}\t{m['kind']}\t{m['origin']}\t{m['label']}", file=out)
            doc = DOCUMENTED.get(m["name"]) if m["origin"] == "builtin" else None
            if doc:  # where a vendor preset's headers come from, and what its pages leave open
                for page in doc["pages"]:
                    print(f"\tsource: {page}", file=out)
                print(f"\tnot documented: {doc['open']}", file=out)
        return 0
    if args.command == "sample-scenario":
        from db.sample import SAMPLE_SCENARIO, write_sample_scenario

        write_sample_scenario()
        print(f"wrote {SAMPLE_SCENARIO}", file=out)
        return 0
    con = _open(args)
    try:
        if args.command == "metrics":
            from db import metrics

            table = metrics.all_metrics(con, args.start, args.end, only=args.table)[args.table]
            metrics.write_csv(table, out)
        elif args.command == "quality":
            from db.quality import quality_report

            for f in quality_report(con, open_days=args.open_days):
                print(f"{f.check}\t{f.count}\t{f.message}", file=out)
        elif args.command == "baseline":
            from db.baseline import build_baseline

            sc = build_baseline(
                con, args.start, args.end, horizon=args.months, plan_start=args.plan_start,
                target_uplift=args.target_growth, name=args.name, ranges=args.ranges,
                stale_after=_stale_limits(args.stale_after), stale_as_lost=args.stale_as_lost,
            )  # fmt: skip
            try:  # NaN or Infinity would make the output invalid JSON
                text = json.dumps(sc, ensure_ascii=False, indent=2, allow_nan=False)
            except ValueError:
                raise DataLayerError(
                    "the baseline has a value that is not a finite number (NaN or infinite): "
                    "an amount or count in the database is not a number; re-import its data"
                ) from None
            out.write(text + "\n")
        elif args.command == "backtest":
            from db import metrics
            from db.baseline import backtest

            metrics.write_csv(backtest(
                con, args.start, args.end, stale_after=_stale_limits(args.stale_after),
                stale_as_lost=args.stale_as_lost,
            ), out)  # fmt: skip
    finally:
        con.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return run(args, sys.stdout)
    except NoDatabaseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return NO_DATABASE
    except DataLayerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except duckdb.Error as exc:
        print(f"error: database: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 -- the CLI never shows a traceback
        print(f"error: unexpected {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
