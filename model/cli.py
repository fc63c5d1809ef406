"""``python -m model plan SCENARIO.json [--format json|csv]``: print a plan (spec section 5).

An invalid scenario prints ``error: <field>: <message>`` on stderr and exits 2; nothing else exits
2 (argparse's own usage errors exit 64 here, so that 2 always means "invalid scenario").
"""

from __future__ import annotations

import argparse
import json
import sys

from .errors import ScenarioError
from .plan import run_plan
from .scenario import parse_json, parse_scenario

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
    plan.add_argument("--indent", type=int, default=None, help="indent the JSON output")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.scenario == "-":
            text, source = sys.stdin.read(), "(stdin)"
        else:
            try:
                with open(args.scenario, encoding="utf-8-sig") as fh:
                    text, source = fh.read(), args.scenario
            except OSError as exc:
                raise ScenarioError(
                    "(file)",
                    f"cannot read {args.scenario}: {exc.strerror}",
                    code="file_unreadable",
                    params={"path": args.scenario, "error": str(exc.strerror)},
                ) from None
            except UnicodeDecodeError:
                raise ScenarioError(
                    "(file)",
                    f"{args.scenario} is not UTF-8 text",
                    code="file_not_utf8",
                    params={"path": args.scenario},
                ) from None
        plan = run_plan(parse_scenario(parse_json(text, source)))
    except ScenarioError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.format == "csv":
        sys.stdout.write(plan.to_csv())
    else:
        json.dump(plan.to_dict(), sys.stdout, indent=args.indent, ensure_ascii=False)
        sys.stdout.write("\n")
    return 0
