"""``python -m model plan SCENARIO.json [--format json|csv]``: print a plan (spec section 5).

An invalid scenario prints ``error: <field>: <message>`` on stderr and exits 2; nothing else exits
2 (argparse's own usage errors exit 64 here, so that 2 always means "invalid scenario").
"""

from __future__ import annotations

import argparse
import math
import sys

from .bridge import bridge
from .errors import ScenarioError
from .limits import dump_json
from .plan import run_plan
from .scenario import Scenario, parse_json, parse_scenario, read_scenario_text
from .seek import goal_seek

USAGE_ERROR = 64


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"usage error: {message}", file=sys.stderr)
        raise SystemExit(USAGE_ERROR)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m model", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    plan = sub.add_parser("plan", help="solve and project a scenario; print the plan")
    plan.add_argument("scenario", help="scenario JSON file (spec section 2), or - for stdin")
    plan.add_argument("--format", choices=("json", "csv"), default="json")
    plan.add_argument("--indent", type=_indent, default=None, help="indent the JSON output")
    bridge = sub.add_parser("bridge", help="plan vs actual: the variance bridge (spec section 9)")
    bridge.add_argument("plan", help="the plan of record (scenario JSON), or - for stdin")
    bridge.add_argument("actual", help="the actual scenario: the same stages, the actual inflow")
    bridge.add_argument("--months", required=True, help="K, the months passed (1..H)")
    bridge.add_argument("--indent", type=_indent, default=None, help="indent the JSON output")
    seek = sub.add_parser("seek", help="goal seek: the lever value that meets the target (10)")
    seek.add_argument("scenario", help="scenario JSON file with a total target, or - for stdin")
    seek.add_argument("--lever", required=True, help="e.g. stages.lead.conversion, deal.size")
    seek.add_argument("--indent", type=_indent, default=None, help="indent the JSON output")
    return parser


def _months(text: str) -> int:
    """--months: a whole number (2 and 2.0 are 2); anything else is invalid input (exit 2)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value != int(value):
        raise ScenarioError(
            "--months",
            f"the months passed must be a whole number, got {text}",
            code="bridge_months_not_whole",
            params={"got": text},
        )
    return int(value)


def _bridge_or_seek(args: argparse.Namespace) -> int:
    """``bridge`` (spec section 9's JSON) or ``seek`` (section 10's JSON); exit 2 on invalid
    input with one ``error:`` line."""
    try:
        if args.command == "bridge":
            plan = read_scenario(args.plan)
            actual = read_scenario(args.actual)
            out = bridge(plan, actual, _months(args.months)).to_dict()
        else:
            out = goal_seek(read_scenario(args.scenario), args.lever).to_dict()
        text = dump_json(out, args.indent)
    except ScenarioError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(text + "\n")
    return 0


def read_scenario(path: str) -> Scenario:
    """The scenario in the file ``path`` (``-``: stdin), parsed and validated; the file is
    read no further than the size limit (model.limits)."""
    stdin = path == "-"
    text = read_scenario_text(None if stdin else path)
    return parse_scenario(parse_json(text, "(stdin)" if stdin else path))


MAX_INDENT = 16


def _indent(text: str) -> int:
    """--indent: 0..16 spaces (a usage error otherwise: an indent of 10**8 would print
    gigabytes of spaces)."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= MAX_INDENT:
        raise argparse.ArgumentTypeError(f"must be a whole number from 0 to {MAX_INDENT}")
    return value


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command in ("bridge", "seek"):
        return _bridge_or_seek(args)
    try:
        plan = run_plan(read_scenario(args.scenario))
        text = dump_json(plan.to_dict(), args.indent) + "\n"  # no NaN or Infinity, even in CSV
    except ScenarioError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(plan.to_csv() if args.format == "csv" else text)
    return 0
