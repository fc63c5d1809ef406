"""``python -m model plan SCENARIO.json [--format json|csv] [--draws N [--seed S]]``: print a plan
(spec section 5); with ``--draws``, the JSON gains ``monte_carlo``: spec section 6's Monte Carlo
of N draws (``MonteCarlo.to_dict``; with ``capacity``, each division's joiners and the chance
that today's team is enough, see ``model.uncertainty``).

An invalid scenario prints ``error: <field>: <message>`` on stderr and exits 2; nothing else exits
2 (argparse's own usage errors exit 64 here, so that 2 always means "invalid scenario").
"""

from __future__ import annotations

import argparse
import math
import sys

from .bridge import bridge
from .errors import ScenarioError
from .limits import MAX_DRAWS, dump_json
from .plan import run_plan
from .scenario import Scenario, parse_json, parse_scenario, read_scenario_text
from .seek import goal_seek
from .uncertainty import monte_carlo

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
    plan.add_argument(
        "--draws", type=_draws, default=None, help="add a Monte Carlo of N draws (JSON output)"
    )
    plan.add_argument("--seed", type=_seed, default=0, help="the Monte Carlo's seed (default 0)")
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


def _whole(text: str, low: int, high: int | None) -> int:
    """A whole number from ``low`` to ``high`` (no bound: None), else a usage error."""
    try:
        value = int(text)
    except ValueError:
        value = low - 1
    if value < low or (high is not None and value > high):
        upto = f"to {high:,}" if high is not None else "or more"
        raise argparse.ArgumentTypeError(f"must be a whole number from {low} {upto}")
    return value


def _indent(text: str) -> int:
    """--indent: 0..16 spaces (a usage error otherwise: an indent of 10**8 would print
    gigabytes of spaces)."""
    return _whole(text, 0, MAX_INDENT)


def _draws(text: str) -> int:
    """--draws: 1..MAX_DRAWS draws."""
    return _whole(text, 1, MAX_DRAWS)


def _seed(text: str) -> int:
    """--seed: a whole number ≥ 0."""
    return _whole(text, 0, None)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command in ("bridge", "seek"):
        return _bridge_or_seek(args)
    if args.draws is not None and args.format != "json":
        parser.error("--draws adds the Monte Carlo to the JSON output: not with --format csv")
    try:
        scenario = read_scenario(args.scenario)
        plan = run_plan(scenario)
        out = plan.to_dict()
        if args.draws is not None:
            out["monte_carlo"] = monte_carlo(scenario, args.draws, args.seed, plan).to_dict()
        text = dump_json(out, args.indent) + "\n"  # no NaN or Infinity, even in CSV
    except ScenarioError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(plan.to_csv() if args.format == "csv" else text)
    return 0
