"""Issue 9, "Unknowns like a real first preview": `amlws preview --unknowns` answers creates the
way azure-native does in a first `pulumi preview` (PreviewOutputs: inputs kept, everything else
computed), and the program, tree, JSON, graph and policy pack give the same answers as with known
values."""

import json

import pytest

from amlws.cli import main
from amlws.graph import build_graph, to_mermaid
from amlws.monitor import UNKNOWN, plain
from harness import ROOT

STACKS = ("dev", "prod")


def shape(result):
    return [
        (r.urn, r.type, r.parent, r.custom, r.protect, r.dependencies, r.property_dependencies)
        for r in result.registrations
    ]


@pytest.mark.parametrize("stack", STACKS)
def test_same_resources_and_references_with_unknown_outputs(stack_preview, stack):
    known, unknown = stack_preview(stack), stack_preview(stack, unknowns=True)
    assert shape(unknown) == shape(known)
    assert to_mermaid(build_graph(unknown)) == to_mermaid(build_graph(known))


@pytest.mark.parametrize("stack", STACKS)
def test_inputs_that_reference_no_resource_are_the_same_in_both_modes(stack_preview, stack):
    """Only what flows from another resource's outputs can become unknown: names, settings and
    tags given in the stack config are the same values, so every check on them is too."""
    known = {r.urn: r for r in stack_preview(stack).registrations}
    for reg in stack_preview(stack, unknowns=True).registrations:
        before = known[reg.urn]
        for key, value in before.inputs.items():
            if not before.property_dependencies.get(key):
                assert reg.inputs.get(key) == value, (reg.urn, key)


@pytest.mark.parametrize("stack", STACKS)
def test_created_resources_have_no_id_and_computed_outputs_are_unknown(stack_preview, stack):
    result = stack_preview(stack, unknowns=True)
    created = [r for r in result.registrations if r.custom and r.type.startswith("azure-native:")]
    assert created and all(r.id is None for r in created), [r.urn for r in created if r.id]
    workspaces = [r for r in created if r.type == "azure-native:machinelearningservices:Workspace"]
    for ws in workspaces:
        assert ws.outputs["id"] == UNKNOWN if "id" in ws.outputs else True
        assert ws.outputs["name"] == UNKNOWN and ws.outputs["workspaceId"] == UNKNOWN
        assert ws.outputs["identity"]["principalId"] == UNKNOWN, "the workspace's principal is computed"
        assert ws.outputs["identity"]["type"] == ws.inputs["identity"]["type"], "an input stays known"
        assert ws.inputs["workspaceName"] != UNKNOWN, "a name given as an input stays known"
    accounts = [r for r in created if r.type == "azure-native:storage:StorageAccount"]
    assert accounts and all(a.outputs["name"] == UNKNOWN for a in accounts), "`name` is an output, never an input"
    # Whatever is wired from a computed output is unknown where it is used.
    grants = [r for r in created if r.type == "azure-native:authorization:RoleAssignment" and "-access-" in r.name]
    assert grants and all(g.inputs["scope"] == UNKNOWN for g in grants)
    # and so is a role assignment name built from that scope, as in a real first `pulumi preview`
    assert all(g.inputs["roleAssignmentName"] == UNKNOWN for g in grants)


def test_prod_computes_login_servers_and_key_uris(stack_preview):
    result = stack_preview("prod", unknowns=True)
    registries = [r for r in result.registrations if r.type == "azure-native:containerregistry:Registry"]
    keys = [r for r in result.registrations if r.type == "azure-native:keyvault:Key"]
    assert registries and all(r.outputs["loginServer"] == UNKNOWN for r in registries)
    assert keys and all(k.outputs["keyUri"] == UNKNOWN and k.outputs["keyUriWithVersion"] == UNKNOWN for k in keys)
    identities = [r for r in result.registrations if r.type == "azure-native:managedidentity:UserAssignedIdentity"]
    assert identities and all(
        i.outputs["principalId"] == UNKNOWN and i.outputs["clientId"] == UNKNOWN for i in identities
    )


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize("config", ["own", "defaults"])
def test_policy_pack_reaches_the_same_verdicts(stack_verdicts, stack, config):
    """Under the stack's own policy config and under the schema defaults (dev then breaks
    mandatory policies): the same violations, and no policy gives up on an unknown value."""
    verdicts = {}
    for unknowns in (False, True):
        violations = stack_verdicts(stack, config, unknowns)  # policy/config/<stack>.json, or {} for "defaults"
        assert not [v for v in violations if "during preview" in v["message"]], "no policy read an unknown value"
        verdicts[unknowns] = sorted((v["policy"], v["level"], v["urn"]) for v in violations)
    assert verdicts[True] == verdicts[False]
    assert verdicts[True] or (stack, config) != ("dev", "defaults")


def test_cli_json_and_tree_show_unknowns(tmp_path, capsys):
    out = tmp_path / "prod.json"
    assert main(["preview", "prod", "--cwd", str(ROOT), "--unknowns", "--json", str(out)]) == 0
    data = json.loads(out.read_text())
    ws = next(r for r in data["resources"] if r["type"] == "azure-native:machinelearningservices:Workspace")
    assert ws["inputs"]["storageAccount"] == "[unknown]"
    assert ws["propertyDependencies"]["storageAccount"], "the reference is still there, by URN"
    assert all(plain(o) for o in data["outputs"].values())
    printed = capsys.readouterr().out
    assert "amlws/prod: 132 resources in 19 components, 23 protected" in printed


def test_graph_command_takes_unknowns(tmp_path):
    known, unknown = tmp_path / "k.mmd", tmp_path / "u.mmd"
    assert main(["graph", "dev", "--cwd", str(ROOT), "-o", str(known)]) == 0
    assert main(["graph", "dev", "--cwd", str(ROOT), "--unknowns", "-o", str(unknown)]) == 0
    assert unknown.read_text() == known.read_text()
