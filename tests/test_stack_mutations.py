"""Property-based: the real stack files, one leaf mutated, still preview or fail with a named error (issue 22).

Starts from Pulumi.dev.yaml and Pulumi.prod.yaml and changes one thing: a leaf's value (a wrong type, empty,
unicode, very long, a huge number), a key's spelling (its snake_case twin beside it, another letter case), or
a key removed. The mutant is previewed offline as `amlws preview` does (`preview_stack` on a copy of the
project), and must end as the command would with exit 0 (it previews) or exit 2 (a PreviewError: the
project's own error, printed without a traceback), never with any other exception; a refused mutant's message
names the key as the stack file spells it.

The checks are in the stack config, which refuses before anything is declared, so most mutants cost
milliseconds; a mutant that parses is previewed whole (about a second for prod), hence the bounded examples.
"""

from __future__ import annotations

import copy
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pydantic.alias_generators import to_snake

from amlws.preview import PreviewError, preview_stack, stack_config
from amlws_rules.compute import MAX_NODE_COUNT
from amlws.stacks.config import StackConfigError, parse_stack_config

ROOT = Path(__file__).resolve().parent.parent
STACKS = {stack: yaml.safe_load((ROOT / f"Pulumi.{stack}.yaml").read_text()) for stack in ("dev", "prod")}

Path_ = tuple[Any, ...]


def leaves(node: Any, path: Path_ = ()) -> list[Path_]:
    """Paths of every scalar, list and mapping under `node` (the containers too: they can be removed or retyped)."""
    found = [path] if path else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += leaves(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += leaves(value, (*path, index))
    return found


PATHS = [(stack, path) for stack, data in STACKS.items() for path in leaves(data["config"])]

HUGE = [10**30, -(10**30), 2**31, 1e308, -1]
UNICODE = ["é", "名前", "🙂", "\u200b", "Ω-prod"]


def get(data: Any, path: Path_) -> Any:
    for part in path:
        data = data[part]
    return data


def value_mutations(original: Any) -> st.SearchStrategy[Any]:
    text = original if isinstance(original, str) else str(original)
    return st.one_of(
        st.sampled_from([None, True, 0, 1.5, [], {}, "true", "0"]),  # wrong types
        st.just(""),  # empty
        st.sampled_from(UNICODE).map(lambda u: u + text),  # a unicode prefix
        st.sampled_from(UNICODE).map(lambda u: text + u),
        st.integers(300, 5000).map(lambda n: (text or "x") * (n // max(len(text), 1) + 1)),  # very long
        st.sampled_from(HUGE),
        st.text(max_size=8),
    )


@st.composite
def mutants(draw: st.DrawFn) -> tuple[str, dict, str, str]:
    """(stack, mutated config, what was done, the key as the mutant writes it)."""
    stack, path = draw(st.sampled_from(PATHS))
    config = copy.deepcopy(STACKS[stack]["config"])
    parent, last = get(config, path[:-1]), path[-1]
    key = next(str(p) for p in reversed(path) if isinstance(p, str))  # the nearest key (a list item's list)
    kind = draw(st.sampled_from(["value", "remove", "twin", "case"] if isinstance(last, str) else ["value", "remove"]))
    if kind == "value":
        parent[last] = draw(value_mutations(parent[last]))
    elif kind == "remove":
        del parent[last]
    elif kind == "twin":  # the snake_case spelling beside the camelCase one, with another value
        bare = last.split(":", 1)[-1]
        twin = last.replace(bare, to_snake(bare)) if to_snake(bare) != bare else last.replace(bare, bare + "_")
        parent[twin] = draw(value_mutations(parent[last]))
        key = twin
    else:  # another letter case: keys are case-sensitive, an unknown key is refused
        bare = last.split(":", 1)[-1]
        respelt = last.replace(bare, bare.swapcase() if bare.swapcase() != bare else bare + "X")
        parent[respelt] = parent.pop(last)
        key = respelt
    return stack, config, f"{kind} {'.'.join(map(str, path))}", key.split(":", 1)[-1]


@pytest.fixture(scope="session")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("project")
    for name in ("Pulumi.yaml", "__main__.py"):
        shutil.copy(ROOT / name, directory / name)
    return directory


def write(project: Path, stack: str, config: dict) -> None:
    (project / f"Pulumi.{stack}.yaml").write_text(yaml.safe_dump({"config": config}, allow_unicode=True))


def preview(project: Path, stack: str, config: dict) -> int:
    """The exit code `amlws preview` ends with: 0, or 2 for the project's own PreviewError (re-raised here, for
    its message); any other exception propagates and fails the test, as it would be a traceback."""
    write(project, stack, config)
    preview_stack(project, stack)
    return 0


def parse(project: Path, stack: str, config: dict) -> int:
    """The stack config alone, read as the engine hands it to the program (the preview's first step)."""
    write(project, stack, config)
    raw, _ = stack_config(project, "amlws", stack)
    amlws = {k.split(":", 1)[1]: v for k, v in raw.items() if k.startswith("amlws:")}
    parse_stack_config(amlws, f"Pulumi.{stack}.yaml", raw.get("azure-native:location"))
    return 0


def check(run: Any, project: Path, mutant: tuple[str, dict, str, str]) -> None:
    stack, config, what, key = mutant
    try:
        code = run(project, stack, config)
    except (PreviewError, StackConfigError) as err:
        message = str(err)
        event(f"refused ({what.split()[0]})")
        assert message.startswith(f"Pulumi.{stack}.yaml"), message
        assert re.search(rf"(?<![A-Za-z_]){re.escape(key)}(?![A-Za-z_])", message), (what, key, message)
    else:
        event(f"accepted ({what.split()[0]})")
        assert code == 0


def test_the_stack_files_preview_unchanged(project):
    for stack, data in STACKS.items():
        assert preview(project, stack, data["config"]) == 0


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutants())
def test_a_mutated_stack_file_parses_or_names_the_key(project, mutant):
    check(parse, project, mutant)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutants())
def test_a_mutated_stack_file_previews_or_names_the_key(project, mutant):
    """The whole preview (the components' checks too) for fewer mutants: an accepted one costs a preview."""
    check(preview, project, mutant)


def test_a_custom_role_without_actions_names_the_keys(project):
    """Found by the mutants above: the refusal named neither key it asks for."""
    config = copy.deepcopy(STACKS["prod"]["config"])
    del config["amlws:workspaces"][0]["access"]["customRoles"][0]["actions"]
    with pytest.raises(StackConfigError, match="list actions or dataActions"):
        parse(project, "prod", config)


@pytest.mark.parametrize("stack", ["dev", "prod"])
@pytest.mark.parametrize("huge", HUGE)
def test_a_huge_node_count_is_refused_naming_the_key(project, stack, huge):
    """A mutant the test above may draw: `maxNodeCount` (and `minNodeCount`) beyond the API's int32
    (amlws_rules.compute.MAX_NODE_COUNT), a float or a negative count is refused with its key and where it is
    written, never accepted for Azure to refuse at `pulumi up`."""
    for key in ("maxNodeCount", "minNodeCount"):
        config = copy.deepcopy(STACKS[stack]["config"])
        config["amlws:workspaces"][0]["computeClusters"][0][key] = huge
        with pytest.raises(StackConfigError) as err:
            parse(project, stack, config)
        message = str(err.value)
        assert message.startswith(f"Pulumi.{stack}.yaml"), message
        assert f"amlws:workspaces[0].computeClusters[0].{key} = " in message, message
        if isinstance(huge, int) and huge > MAX_NODE_COUNT:
            assert f"above {MAX_NODE_COUNT}" in message, message
