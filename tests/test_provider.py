"""The component package other languages consume: its served schema lists every input and output."""

import json
import subprocess
import sys
import inspect

import grpc
import pytest
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from amlws.components import (
    MachineLearningWorkspace,
    MachineLearningWorkspaceArgs,
    PrivateDnsZones,
    SharedWorkspaceResources,
)
from amlws.provider_schema import PROVIDED_COMPONENTS, package_schema, schema_problems
from harness import ROOT


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def field_docs(typed_dict) -> dict[str, str]:
    """Field -> docstring, read from the source (what the analyzer turns into descriptions)."""
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(typed_dict))
    body = tree.body[0].body  # type: ignore[attr-defined]
    return {
        ast.unparse(n.target): " ".join(body[i + 1].value.value.split())
        for i, n in enumerate(body)
        if isinstance(n, ast.AnnAssign)
    }


@pytest.fixture(scope="module")
def served_schema():
    """GetSchema from the provider host, launched the way the language host launches a plugin."""
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "provider/__main__.py"), "127.0.0.1:1"],
        cwd=ROOT / "provider",
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline()  # type: ignore[union-attr]
        assert line.strip().isdigit(), proc.stderr.read()  # type: ignore[union-attr]
        with grpc.insecure_channel(f"127.0.0.1:{line.strip()}") as channel:
            response = provider_pb2_grpc.ResourceProviderStub(channel).GetSchema(
                provider_pb2.GetSchemaRequest(version=0), timeout=30
            )
        return json.loads(response.schema)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_served_schema_is_the_generated_one_and_structurally_valid(served_schema):
    assert served_schema == package_schema()
    assert served_schema["name"] == "amlws"
    assert sorted(served_schema["resources"]) == sorted(f"amlws:index:{c.__name__}" for c in PROVIDED_COMPONENTS)
    assert schema_problems(served_schema) == []


@pytest.mark.parametrize("component", [MachineLearningWorkspace, SharedWorkspaceResources, PrivateDnsZones])
def test_every_input_and_output_is_listed_with_its_description(served_schema, component):
    resource = served_schema["resources"][f"amlws:index:{component.__name__}"]
    args_type = inspect.get_annotations(component.__init__)["args"]
    docs = field_docs(args_type)
    assert {camel(k) for k in docs} == set(resource["inputProperties"])
    for field, doc in docs.items():
        assert resource["inputProperties"][camel(field)]["description"] == doc, field
    required = {camel(k) for k in args_type.__required_keys__}
    assert set(resource.get("requiredInputs", [])) == required
    outputs = {k for k in inspect.get_annotations(component) if not k.startswith("_")}
    assert {camel(k) for k in outputs} == set(resource["properties"])


def test_nested_settings_are_typed_objects_with_descriptions(served_schema):
    storage = served_schema["types"]["amlws:index:WorkspaceStorageArgs"]
    assert "Premium SKUs are refused" in storage["properties"]["skuName"]["description"]
    ws = served_schema["resources"]["amlws:index:MachineLearningWorkspace"]["inputProperties"]
    assert ws["computeClusters"]["items"]["$ref"] == "#/types/amlws:index:ComputeClusterSettings"
    assert ws["access"]["$ref"] == "#/types/amlws:index:WorkspaceAccessSettings"
    assert MachineLearningWorkspaceArgs.__required_keys__ == frozenset({"resource_group_name"})


def test_schema_problems_are_reported():
    broken = {
        "name": "amlws",
        "version": "1",
        "resources": {
            "amlws:index:X": {
                "isComponent": True,
                "description": "d",
                "inputProperties": {"a": {"$ref": "#/types/amlws:index:Missing"}},
                "requiredInputs": ["b"],
            }
        },
        "types": {},
    }
    problems = schema_problems(broken)
    assert "amlws:index:X.inputProperties.a: no description" in problems
    assert "amlws:index:X.inputProperties.a: $ref #/types/amlws:index:Missing does not resolve" in problems
    assert "amlws:index:X: required input b is not an input" in problems


def test_plugin_files_are_in_place():
    assert "runtime: python" in (ROOT / "provider/PulumiPlugin.yaml").read_text()
    assert (ROOT / "provider/requirements.txt").read_text().splitlines()[-1] == ".."


def test_consumer_example_uses_the_installed_components_offline():
    """examples/consumer: another team's program, previewed under the mock monitor."""
    import runpy

    from amlws.mocks import ArmMocks
    from amlws.preview import run_program

    result = run_program(
        lambda: runpy.run_path(str(ROOT / "examples/consumer/__main__.py")),
        "ml-team-consumer",
        "dev",
        {},
        [],
        ArmMocks(),
    )
    types = [r.type for r in result.registrations]
    assert types.count("amlws:index:MachineLearningWorkspace") == 2
    assert (
        types.count("azure-native:containerregistry:Registry") == 1 and types.count("azure-native:keyvault:Vault") == 1
    )
    assert types.count("azure-native:machinelearningservices:Workspace") == 2
    groups = [
        r
        for r in result.registrations
        if r.type.endswith("RoleAssignment") and r.inputs.get("principalType") == "Group"
    ]
    assert len(groups) == 2  # one Data Scientist assignment per workspace
