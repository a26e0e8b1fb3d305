"""`amlws`: offline preview (and graph) of this project's stacks.

Exit codes are a contract for pull-request tooling: 0 success, 1 a mandatory policy violation,
2 a configuration, program or policy-pack error (the message says which).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import NoReturn

from rich.console import Console

from . import render
from .preview import PreviewError, PreviewResult, preview_stack, project_name

EXIT_OK, EXIT_VIOLATIONS, EXIT_ERROR = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="amlws", description="Offline tools for the Azure ML workspace stacks.")
    sub = parser.add_subparsers(dest="command", required=True)
    preview = sub.add_parser("preview", help="run a stack's program offline under Pulumi's mock monitor")
    preview.add_argument("stack", nargs="+", help="stack name(s): reads Pulumi.STACK.yaml; several run in one process")
    preview.add_argument("--cwd", default=".", help="project directory (holds Pulumi.yaml); default: current")
    preview.add_argument(
        "--json", dest="json_file", metavar="FILE",
        help="write resources and violations as JSON; with several stacks FILE must hold {stack} (e.g. out/{stack}.json)",
    )
    preview.add_argument("--fixtures", metavar="FILE", help="JSON answers for lookups of existing resources")
    preview.add_argument("--policy-pack", metavar="DIR", help="run this CrossGuard policy pack over the preview")
    preview.add_argument("--policy-config", metavar="FILE", help="policy config JSON, as for pulumi --policy-pack-config")
    preview.add_argument("--sarif", metavar="FILE", help="write policy violations as SARIF 2.1.0 ({stack} as for --json)")
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


def per_stack(path: str | None, stack: str, several: bool, option: str) -> str | None:
    """The output file of one stack: `{stack}` in FILE is replaced; several stacks need it."""
    if path is None or "{stack}" in path:
        return path and path.replace("{stack}", stack)
    if several:
        raise PreviewError(f"{option} {path}: with several stacks, put {{stack}} in the file name (e.g. out/{{stack}}.json)")
    return path


def run_preview(args: argparse.Namespace, console: Console, errors: Console) -> int:
    """Preview each stack in turn (imports paid once); the exit code is the worst of them."""
    if (args.policy_config or args.sarif) and not args.policy_pack:
        raise PreviewError("--policy-config and --sarif need --policy-pack")
    stacks = list(dict.fromkeys(args.stack))
    several = len(stacks) > 1
    for option, path in (("--json", args.json_file), ("--sarif", args.sarif)):
        per_stack(path, stacks[0], several, option)  # refuse a shared file before anything runs
    worst = EXIT_OK
    for stack in stacks:
        try:
            code = preview_one(args, stack, several, console)
        except PreviewError as err:
            if not several:
                raise
            errors.print(f"[red]error:[/red] {stack}: {err}", markup=True, highlight=False)
            code = EXIT_ERROR
        worst = max(worst, code)
    return worst


def preview_one(args: argparse.Namespace, stack: str, several: bool, console: Console) -> int:
    pack = None
    if args.policy_pack:
        from .policy_runner import run_policy_pack, start_policy_pack

        # Started before the program runs: the pack's own start overlaps the preview.
        pack = start_policy_pack(args.policy_pack, project_name(Path(args.cwd)), stack, args.cwd)
    try:
        result: PreviewResult = preview_stack(args.cwd, stack, args.fixtures)
        if pack is not None:
            result.violations = run_policy_pack(args.policy_pack, result, args.policy_config, project_dir=args.cwd, pack=pack)
    finally:
        if pack is not None:
            pack.__exit__(None, None, None)
    json_file = per_stack(args.json_file, stack, several, "--json")
    if json_file:
        _write_json(json_file, result.to_json())
    sarif_file = per_stack(args.sarif, stack, several, "--sarif")
    if sarif_file:
        from .sarif import write_sarif

        write_sarif(sarif_file, result, args.policy_pack)
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
            return run_preview(args, console, errors)
        if args.command == "graph":
            return run_graph(args)
    except PreviewError as err:
        errors.print(f"[red]error:[/red] {err}", markup=True, highlight=False)
        return EXIT_ERROR
    return EXIT_ERROR


def console_main() -> NoReturn:
    """The `amlws` command: once output is flushed, end without the interpreter's teardown (about
    a third of a second spent freeing the SDK's objects one by one). `main()` itself returns, so
    tests and callers that embed it are unaffected."""
    try:
        code = main()
    except SystemExit as exit_:  # argparse's usage errors
        code = exit_.code if isinstance(exit_.code, int) else EXIT_OK if exit_.code is None else EXIT_ERROR
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    console_main()
