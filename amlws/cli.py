"""`amlws`: offline preview (and graph) of a Pulumi project's stacks, and config.json for data scientists.

Exit codes are a contract for pull-request tooling: 0 success, 1 a mandatory policy violation,
2 a configuration, program, policy-pack, input or output error (the message says which).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, Sequence

from . import summary
from .preview import PreviewError, PreviewResult, preview_stack, project_name
from .spec import name_collisions, report as spec_report
from .version import version

if TYPE_CHECKING:
    from rich.console import Console

EXIT_OK, EXIT_VIOLATIONS, EXIT_ERROR = 0, 1, 2
EXIT_CODES = """exit codes:
  0  success (advisory violations allowed)
  1  a mandatory policy violation
  2  an error: stack config, program, policy pack, input file, output file or usage"""
PREVIEW_DESCRIPTION = """Run a stack's Pulumi program offline, under Pulumi's mock monitor: no Pulumi CLI, cloud or
credentials. Prints the resource tree and a summary; with --policy-pack, runs the CrossGuard pack over
the preview as `pulumi preview --policy-pack` does and prints its violations."""
PREVIEW_EXAMPLES = """examples:
  amlws preview dev
  amlws preview prod --policy-pack policy --policy-config policy/config/prod.json --json prod.json --sarif prod.sarif
  amlws preview dev prod --quiet --json out/{stack}.json"""
GRAPH_DESCRIPTION = """Draw a stack's components, their resources and the references between them, as Mermaid (for
pull requests and Markdown) or SVG. By default each top-level component is one node; --full draws every
resource inside its component's panel."""
GRAPH_EXAMPLES = """examples:
  amlws graph prod --format svg -o prod.svg
  amlws graph prod --full --format svg -o prod-full.svg
  amlws graph dev > dev.mmd"""
ML_CONFIG_DESCRIPTION = """Write the config.json that the Azure ML SDKs and CLI read (subscription, resource group,
workspace) for one project's deployed workspace, from `pulumi stack output --json`."""
ML_CONFIG_EXAMPLES = """examples:
  pulumi stack output --json | amlws ml-config churn
  amlws ml-config churn --from outputs.json -o -"""
UNKNOWNS_HELP = (
    "answer like a first `pulumi preview` of a new stack: IDs and every other provider-computed output "
    "(principal IDs, login servers, key URIs) unknown; default: known ARM-shaped values"
)


class _Version(argparse._VersionAction):  # pyright: ignore[reportPrivateUsage] - argparse's own `version` action
    """`--version`, reading the installed version only when asked (package metadata costs ~10 ms)."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        self.version = f"amlws {version()}"
        super().__call__(parser, namespace, values, option_string)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="amlws",
        description="Offline tools for the Azure ML workspace stacks: preview, graph and ml-config.",
        epilog="examples:\n  amlws preview dev\n  amlws graph prod --format svg -o prod.svg\n  amlws preview --help\n\n"
        + EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_Version)
    sub = parser.add_subparsers(dest="command", required=True)
    preview = sub.add_parser(
        "preview",
        help="run a stack's program offline under Pulumi's mock monitor",
        description=PREVIEW_DESCRIPTION,
        epilog=PREVIEW_EXAMPLES + "\n\n" + EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    preview.add_argument("stack", nargs="+", help="stack name(s): reads Pulumi.STACK.yaml; several run in one process")
    preview.add_argument("--cwd", default=".", help="project directory (holds Pulumi.yaml); default: current")
    preview.add_argument(
        "--json",
        dest="json_file",
        metavar="FILE",
        help="write resources and violations as JSON; with several stacks FILE must hold {stack} "
        "(e.g. out/{stack}.json)",
    )
    preview.add_argument("--fixtures", metavar="FILE", help="JSON answers for lookups of existing resources")
    preview.add_argument("--policy-pack", metavar="DIR", help="run this CrossGuard policy pack over the preview")
    preview.add_argument(
        "--policy-config", metavar="FILE", help="policy config JSON, as for pulumi --policy-pack-config"
    )
    preview.add_argument(
        "--sarif", metavar="FILE", help="write policy violations as SARIF 2.1.0 ({stack} as for --json)"
    )
    preview.add_argument(
        "--quiet",
        action="store_true",
        help="print only warnings and the summary lines, as plain text (for logs and scripts)",
    )
    preview.add_argument("--unknowns", action="store_true", help=UNKNOWNS_HELP)
    graph = sub.add_parser(
        "graph",
        help="draw a stack's components, resources and references (Mermaid or SVG)",
        description=GRAPH_DESCRIPTION,
        epilog=GRAPH_EXAMPLES + "\n\n" + EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    graph.add_argument("stack", help="stack name: reads Pulumi.STACK.yaml")
    graph.add_argument("--cwd", default=".", help="project directory (holds Pulumi.yaml); default: current")
    graph.add_argument("--fixtures", metavar="FILE", help="JSON answers for lookups of existing resources")
    graph.add_argument(
        "--format", choices=("mermaid", "svg"), default="mermaid", help="output format (default mermaid)"
    )
    graph.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of standard output")
    graph.add_argument("--unknowns", action="store_true", help=UNKNOWNS_HELP)
    drawing = graph.add_mutually_exclusive_group()
    drawing.add_argument(
        "--full",
        action="store_true",
        help="draw every resource inside its component's panel (default: each top-level component as one node)",
    )
    drawing.add_argument(
        "--collapse",
        action="store_true",
        help="draw each top-level component as one node, with the references of everything in it (the default)",
    )
    ml = sub.add_parser(
        "ml-config",
        help="write the Azure ML SDKs' config.json for a deployed workspace",
        description=ML_CONFIG_DESCRIPTION,
        epilog=ML_CONFIG_EXAMPLES + "\n\n" + EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ml.add_argument("project", help="the workspace's project name (a key of the stack outputs)")
    ml.add_argument(
        "--from",
        dest="source",
        default="-",
        metavar="FILE",
        help="`pulumi stack output --json` output; default: standard input",
    )
    ml.add_argument(
        "--output",
        "-o",
        default="config.json",
        metavar="FILE",
        help="where to write (default config.json; - for standard output)",
    )
    return parser


_UMASK = os.umask(0o022)
os.umask(_UMASK)


def check_output_dirs(*outputs: tuple[str, str | None]) -> None:
    """Refuse an output into a directory that does not exist before the (slow) preview runs."""
    for option, path in outputs:
        if path and path != "-" and not Path(path).parent.is_dir():
            raise PreviewError(f"cannot write {option} {path}: no such directory {Path(path).parent}")


def write_outputs(outputs: list[tuple[str, str, str]]) -> None:
    """Write each (option, path, text) whole or not at all, and all of them or none.

    Every text goes to a temporary file beside its target first; only when all are written are they
    renamed into place (a rename within a directory is atomic). Any failure removes the temporary
    files and raises PreviewError naming the option and path (exit 2), so no reader ever sees a
    half-written file, or a JSON file from a run whose SARIF could not be written.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for option, path, text in outputs:
            target = Path(path)
            if target.is_dir():
                raise PreviewError(f"cannot write {option} {path}: it is a directory")
            try:
                fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
                staged.append((tmp, target))
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(text)
                os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; give the file the mode open() would
            except OSError as err:
                raise PreviewError(f"cannot write {option} {path}: {err.strerror or err}") from None
        for tmp, target in staged:
            try:
                os.replace(tmp, target)
            except OSError as err:
                raise PreviewError(f"cannot write {target}: {err.strerror or err}") from None
        staged.clear()
    finally:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)


def per_stack(path: str | None, stack: str, several: bool, option: str) -> str | None:
    """The output file of one stack: `{stack}` in FILE is replaced; several stacks need it."""
    if path is None or "{stack}" in path:
        return path and path.replace("{stack}", stack)
    if several:
        raise PreviewError(
            f"{option} {path}: with several stacks, put {{stack}} in the file name (e.g. out/{{stack}}.json)"
        )
    return path


def terminal() -> Console:
    """Standard output through rich, imported here rather than at the top: `--quiet` and `graph` write plain
    text, and not importing rich saves them about 0.1 G instructions (30 ms) per command (docs/measurements.md)."""
    from rich.console import Console

    console = Console()
    return console if console.is_terminal else Console(width=200)  # logs and CI: each resource on one line


def report_error(message: str) -> None:
    """An error on standard error, in red on a terminal."""
    from rich.console import Console
    from rich.markup import escape

    Console(stderr=True, soft_wrap=True).print(f"[red]error:[/red] {escape(message)}", markup=True, highlight=False)


def run_preview(args: argparse.Namespace) -> int:
    """Preview each stack in turn (imports paid once); the exit code is the worst of them."""
    if (args.policy_config or args.sarif) and not args.policy_pack:
        raise PreviewError("--policy-config and --sarif need --policy-pack")
    stacks = list(dict.fromkeys(args.stack))
    several = len(stacks) > 1
    for option, path in (("--json", args.json_file), ("--sarif", args.sarif)):
        # Refuse a shared file, or one in a missing directory, before anything runs.
        check_output_dirs((option, per_stack(path, stacks[0], several, option)))
    worst = EXIT_OK
    previewed: list[PreviewResult] = []
    for stack in stacks:
        try:
            code = preview_one(args, stack, several, previewed)
        except PreviewError as err:
            if not several:
                raise
            report_error(f"{stack}: {err}")
            code = EXIT_ERROR
        worst = max(worst, code)
    clashes = name_collisions((r.stack, r.registrations) for r in previewed)
    if clashes:  # stacks deployed side by side must not take the same global (or tenant-wide) name
        report_error(spec_report(clashes))
        worst = EXIT_ERROR
    return worst


def preview_one(
    args: argparse.Namespace, stack: str, several: bool, previewed: list[PreviewResult] | None = None
) -> int:
    pack = analysis = None
    if args.policy_pack:
        from .policy_runner import StreamingAnalysis, start_policy_pack

        # Started before the program runs: the pack's own start overlaps the preview, and each resource
        # is analyzed as soon as it is registered.
        project = project_name(Path(args.cwd))
        pack = start_policy_pack(args.policy_pack, project, stack, args.cwd)
        analysis = StreamingAnalysis(pack, args.policy_config, project, stack)
    try:
        result: PreviewResult = preview_stack(
            args.cwd,
            stack,
            args.fixtures,
            unknowns=args.unknowns,
            on_register=analysis.submit if analysis else None,
        )
        if previewed is not None:
            previewed.append(result)
        if analysis is not None:
            result.violations = analysis.finish(result)
    finally:
        if analysis is not None:
            analysis.stop()
        if pack is not None:
            pack.__exit__(None, None, None)
    outputs: list[tuple[str, str, str]] = []
    json_file = per_stack(args.json_file, stack, several, "--json")
    if json_file:
        outputs.append(("--json", json_file, json.dumps(result.to_json(), indent=2, sort_keys=False) + "\n"))
    sarif_file = per_stack(args.sarif, stack, several, "--sarif")
    if sarif_file:
        from .sarif import sarif_text

        outputs.append(("--sarif", sarif_file, sarif_text(result, args.policy_pack, args.cwd)))
    write_outputs(outputs)
    lines = [summary.summary_line(result), *([summary.policy_line(result)] if args.policy_pack else [])]
    if args.quiet:
        sys.stdout.write("".join(f"{line}\n" for line in [*(f"warning: {w}" for w in result.warnings), *lines]))
    else:
        from .render import print_preview

        print_preview(result, lines, terminal())
    return EXIT_VIOLATIONS if any(v["level"] == "mandatory" for v in result.violations) else EXIT_OK


def run_graph(args: argparse.Namespace) -> int:
    from .graph import build_graph, to_mermaid, to_svg

    check_output_dirs(("--output", args.output))
    graph = build_graph(preview_stack(args.cwd, args.stack, args.fixtures, unknowns=args.unknowns))
    collapse = not args.full
    text = to_svg(graph, collapse) if args.format == "svg" else to_mermaid(graph, collapse)
    if args.output:
        write_outputs([("--output", args.output, text)])
    else:
        sys.stdout.write(text)
    return EXIT_OK


def run_ml_config(args: argparse.Namespace) -> int:
    from .mlconfig import config_json, ml_config, read_stack_outputs

    check_output_dirs(("--output", args.output))
    label = "standard input" if args.source == "-" else args.source
    values = ml_config(read_stack_outputs(args.source), args.project, label)
    if args.output == "-":
        sys.stdout.write(config_json(values))
        return EXIT_OK
    write_outputs([("--output", args.output, config_json(values))])
    sys.stdout.write(f"wrote {args.output}: workspace {values['workspace_name']} in {values['resource_group']}\n")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "preview":
            return run_preview(args)
        if args.command == "graph":
            return run_graph(args)
        if args.command == "ml-config":
            return run_ml_config(args)
    except PreviewError as err:
        report_error(str(err))
        return EXIT_ERROR
    return EXIT_ERROR


def console_main() -> NoReturn:
    """The `amlws` command: once output is flushed, end without the interpreter's teardown (about
    a third of a second spent freeing the SDK's objects one by one). `main()` itself returns, so
    tests and callers that embed it are unaffected."""
    from .speed import exiting_soon

    exiting_soon()
    try:
        code = main()
    except SystemExit as exit_:  # argparse's usage errors
        code = exit_.code if isinstance(exit_.code, int) else EXIT_OK if exit_.code is None else EXIT_ERROR
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    console_main()
