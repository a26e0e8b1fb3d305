"""`amlws`: offline preview (and graph) of this project's stacks.

Exit codes are a contract for pull-request tooling: 0 success, 1 a mandatory policy violation,
2 a configuration, program or policy-pack error (the message says which).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich.console import Console

from . import render
from .preview import PreviewError, PreviewResult, preview_stack

EXIT_OK, EXIT_VIOLATIONS, EXIT_ERROR = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="amlws", description="Offline tools for the Azure ML workspace stacks.")
    sub = parser.add_subparsers(dest="command", required=True)
    preview = sub.add_parser("preview", help="run a stack's program offline under Pulumi's mock monitor")
    preview.add_argument("stack", help="stack name: reads Pulumi.STACK.yaml")
    preview.add_argument("--cwd", default=".", help="project directory (holds Pulumi.yaml); default: current")
    preview.add_argument("--json", dest="json_file", metavar="FILE", help="write resources and violations as JSON")
    preview.add_argument("--fixtures", metavar="FILE", help="JSON answers for lookups of existing resources")
    preview.add_argument("--policy-pack", metavar="DIR", help="run this CrossGuard policy pack over the preview")
    preview.add_argument("--policy-config", metavar="FILE", help="policy config JSON, as for pulumi --policy-pack-config")
    preview.add_argument("--sarif", metavar="FILE", help="write policy violations as SARIF 2.1.0")
    preview.add_argument("--quiet", action="store_true", help="print only the summary line")
    graph = sub.add_parser("graph", help="draw a stack's components, resources and references (Mermaid or SVG)")
    graph.add_argument("stack", help="stack name: reads Pulumi.STACK.yaml")
    graph.add_argument("--cwd", default=".", help="project directory (holds Pulumi.yaml); default: current")
    graph.add_argument("--fixtures", metavar="FILE", help="JSON answers for lookups of existing resources")
    graph.add_argument("--format", choices=("mermaid", "svg"), default="mermaid", help="output format (default mermaid)")
    graph.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of standard output")
    return parser


def _write_json(path: str, payload: dict) -> None:
    Path(path).write_text(json.dumps(payload, indent=2, sort_keys=False) + "\n")


def run_preview(args: argparse.Namespace, console: Console) -> int:
    if (args.policy_config or args.sarif) and not args.policy_pack:
        raise PreviewError("--policy-config and --sarif need --policy-pack")
    result: PreviewResult = preview_stack(args.cwd, args.stack, args.fixtures)
    if args.policy_pack:
        from .policy_runner import run_policy_pack

        result.violations = run_policy_pack(args.policy_pack, result, args.policy_config, project_dir=args.cwd)
    if args.json_file:
        _write_json(args.json_file, result.to_json())
    if args.sarif:
        from .sarif import write_sarif

        write_sarif(args.sarif, result, args.policy_pack)
    if not args.quiet:
        render.print_tree(result, console)
        render.print_violations(result.violations, console)
    for warning in result.warnings:
        console.print(f"[yellow]warning:[/yellow] {warning}")
    console.print(render.summary_line(result))
    return EXIT_VIOLATIONS if any(v["level"] == "mandatory" for v in result.violations) else EXIT_OK


def run_graph(args: argparse.Namespace) -> int:
    from .graph import build_graph, to_mermaid, to_svg

    graph = build_graph(preview_stack(args.cwd, args.stack, args.fixtures))
    text = to_svg(graph) if args.format == "svg" else to_mermaid(graph)
    if args.output:
        Path(args.output).write_text(text)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    console = Console()
    if not console.is_terminal:
        console = Console(width=200)  # logs and CI: keep each resource on one line
    errors = Console(stderr=True, soft_wrap=True)
    try:
        if args.command == "preview":
            return run_preview(args, console)
        if args.command == "graph":
            return run_graph(args)
    except PreviewError as err:
        errors.print(f"[red]error:[/red] {err}", markup=True, highlight=False)
        return EXIT_ERROR
    return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
