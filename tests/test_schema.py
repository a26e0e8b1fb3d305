"""Component inputs are held to the Args TypedDicts as strictly as stack files to their models (issue 19,
findings 2 and 3), and each default is written once (issue 18, item 4)."""

import ast
import re
from pathlib import Path

import pulumi
import pytest

from amlws.components import (
    ComponentInputError,
    MachineLearningWorkspace,
    MachineLearningWorkspaceArgs,
    SharedWorkspaceResourcesArgs,
    WorkspaceStorage,
    defaults,
)
from amlws.components import schema
from amlws.components.schema import check_component_args, did_you_mean
from amlws.stacks.config import StackConfigError, parse_stack_config
from harness import inputs, one, run

ROOT = Path(__file__).resolve().parent.parent
BASE = {"resource_group_name": "rg", "location": "westeurope", "tags": {"project": "proj"}}
CLUSTER = {"name": "cpu", "vm_size": "Standard_DS3_v2", "max_node_count": 4}


def refusal(args, args_type=MachineLearningWorkspaceArgs, component="MachineLearningWorkspace") -> ComponentInputError:
    with pytest.raises(ComponentInputError) as caught:
        check_component_args(component, "w", args, args_type)
    return caught.value


def test_an_unknown_top_level_key_is_refused_with_did_you_mean():
    err = refusal({**BASE, "compute_cluster": [CLUSTER]})
    assert (err.component, err.instance, err.setting) == ("MachineLearningWorkspace", "w", "compute_cluster")
    assert err.value == [CLUSTER]
    assert "did you mean 'compute_clusters'?" in err.problem
    assert "MachineLearningWorkspace 'w': compute_cluster=" in str(err)


def test_a_camel_case_key_inside_a_section_is_refused_naming_its_snake_case_twin():
    err = refusal({**BASE, "storage": {"skuName": "Standard_ZRS"}})
    assert (err.setting, err.value) == ("storage.skuName", "Standard_ZRS")
    assert "did you mean 'sku_name'?" in err.problem
    assert "WorkspaceStorageArgs takes" in err.problem and "is_hns_enabled" in err.problem


def test_a_misspelt_nested_key_is_refused_with_did_you_mean():
    err = refusal({**BASE, "compute_clusters": [{**CLUSTER, "min_nodes": 0}]})
    assert err.setting == "compute_clusters[0].min_nodes"
    assert "did you mean 'min_node_count'?" in err.problem


def test_a_wrong_type_names_the_key_path_instead_of_a_type_error():
    err = refusal({**BASE, "compute_clusters": [{**CLUSTER, "max_node_count": "4"}]})
    assert (err.setting, err.value) == ("compute_clusters[0].max_node_count", "4")
    assert "valid integer" in err.problem
    err = refusal({**BASE, "hbi_workspace": 1})
    assert (err.setting, err.value) == ("hbi_workspace", 1) and "valid boolean" in err.problem


def test_a_missing_required_key_is_named():
    err = refusal({**BASE, "compute_clusters": [{"name": "cpu", "vm_size": "Standard_DS3_v2"}]})
    assert err.setting == "compute_clusters[0].max_node_count" and "required" in err.problem


def test_every_mistake_is_reported_at_once():
    err = refusal({**BASE, "compute_cluster": [], "storage": {"skuName": "Standard_ZRS"}})
    assert {err.setting, *re.findall(r"also ([\w.]+)=", err.problem)} == {"compute_cluster", "storage.skuName"}


def test_outputs_are_accepted_where_the_args_take_an_input():
    """Outputs are made inside a program (an Output made outside one would outlive its event loop)."""

    def program():
        rg = pulumi.Output.from_input("rg")
        args = {**BASE, "resource_group_name": rg}
        check_component_args("MachineLearningWorkspace", "w", args, MachineLearningWorkspaceArgs)
        shared = {
            "resource_group_name": rg,
            "storage": {"existing_id": pulumi.Output.from_input("/subscriptions/s/...")},
            "private_endpoints": {"subnet_id": rg, "private_dns_zone_ids": {"privatelink.vaultcore.azure.net": rg}},
        }
        check_component_args("SharedWorkspaceResources", "shared", shared, SharedWorkspaceResourcesArgs)

    run(program)


def test_an_output_is_refused_where_the_value_must_be_known_while_planning():
    """`workspace_name` is a plain `str`: names are derived and checked before anything is declared."""

    def program():
        args = {**BASE, "workspace_name": pulumi.Output.from_input("mlw")}
        check_component_args("MachineLearningWorkspace", "w", args, MachineLearningWorkspaceArgs)

    with pytest.raises(ComponentInputError) as caught:
        run(program)
    assert caught.value.setting == "workspace_name" and "valid string" in caught.value.problem


def test_the_constructors_refuse_before_anything_is_declared():
    with pytest.raises(ComponentInputError, match=r"did you mean 'compute_clusters'"):
        run(lambda: MachineLearningWorkspace("w", {**BASE, "compute_cluster": [CLUSTER]}))  # type: ignore[typeddict-unknown-key]
    with pytest.raises(ComponentInputError, match=r"WorkspaceStorage 's': skuName=.*did you mean 'sku_name'"):
        run(lambda: WorkspaceStorage("s", {"resource_group_name": "rg", "skuName": "Standard_ZRS"}))  # type: ignore[typeddict-unknown-key]


def test_a_well_formed_workspace_still_deploys():
    result = run(lambda: MachineLearningWorkspace("w", {**BASE, "compute_clusters": [CLUSTER]}))  # type: ignore[arg-type]
    assert "maxNodeCount': 4" in str(inputs(one(result, "machinelearningservices:Compute")))


class KnownLater:
    """An awaitable, which `pulumi.Input` accepts like an Output (an Output outside a program outlives its loop)."""

    def __await__(self):
        yield


OUTPUT = KnownLater()


class Label(str):
    """A str subclass: not the exact type the schema shortcut (`type(value) is str`) takes."""


GIVEN = [
    BASE,
    "not a mapping",
    {**BASE, 1: "a key that is no string"},
    {**BASE, "locaton": "x", "resource_group_name": 1, "storage": {"sku_name": 3, "bogus": 1}},
    {**BASE, "storage": "not a mapping", "key_vault": None, "monitoring": OUTPUT},
    {**BASE, "storage": {"existing_facts": {"kind": "StorageV2"}, "role_assignments": [{"principal_id": 1}]}},
    {**BASE, "compute_clusters": [CLUSTER, {**CLUSTER, "max_node_count": "4"}, {"nme": "x"}, "not a mapping"]},
    {**BASE, "compute_clusters": (CLUSTER,), "compute_instances": [{"name": "i", "schedules": [{"cron": 1}]}]},
    {**BASE, "managed_network_outbound_rules": {"pypi": {"type": "FQDN", "destinaton": "x"}, "bad": "rule"}},
    {**BASE, "managed_network_outbound_rules": {1: {"type": "FQDN"}}, "tags": {"a": 1}},
    {**BASE, "private_endpoints": [{"subnet_id": OUTPUT, "private_dns_zone_ids": {"z": 2}}]},
    {**BASE, "connections": [{"name": "c", "category": "AzureBlob", "metadata": {"k": 1}}], "feature_store": {}},
    # a bool where an int is declared, an int where a bool is, a str subclass where a str is: the schema decides
    {
        **BASE,
        "compute_clusters": [{**CLUSTER, "max_node_count": True}],
        "hbi_workspace": 1,
        "friendly_name": Label("x"),
    },
    (ACCEPTED := {**BASE, "compute_clusters": [{**CLUSTER, "max_node_count": 4}], "hbi_workspace": True}),
]


@pytest.mark.parametrize("given", GIVEN, ids=range(len(GIVEN)))
def test_checking_what_was_given_reports_what_the_whole_schema_reports(given):
    """`given_value_errors` builds schemas only for the sections given (issue 18's benchmark); it must report
    exactly what validating the whole Args type reports, in the same order and at the same locations."""
    try:
        schema._adapter(MachineLearningWorkspaceArgs).validate_python(given)
        whole = []
    except schema.ValidationError as err:
        whole = err.errors(include_url=False)
    given_errors = schema.given_value_errors(MachineLearningWorkspaceArgs, given)
    assert [(e["type"], e["loc"], e["msg"]) for e in given_errors] == [(e["type"], e["loc"], e["msg"]) for e in whole]
    assert given in (BASE, ACCEPTED) or whole  # each other case is refused


def test_did_you_mean_prefers_the_case_twin_then_the_closest_spelling():
    assert did_you_mean("isHnsEnabled", ["kind", "is_hns_enabled"]) == "is_hns_enabled"
    assert did_you_mean("compute_cluster", ["compute_clusters", "compute_instances"]) == "compute_clusters"
    assert did_you_mean("zzz", ["kind"]) is None


def _constructors() -> list[tuple[str, ast.FunctionDef]]:
    found = []
    for path in sorted((ROOT / "components").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef) and any(ast.unparse(b) == "pulumi.ComponentResource" for b in node.bases):
                init = next(f for f in node.body if isinstance(f, ast.FunctionDef) and f.name == "__init__")
                found.append((node.name, init))
    return found


@pytest.mark.parametrize("name, init", _constructors(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_component_checks_its_args_first(name, init):
    """The first statement checks the args; a child component handed the plan its parent made of its section (whose
    Args include this one, so they were checked with the parent's) checks only when it has no plan."""
    body = init.body[1:] if ast.get_docstring(init) is not None else init.body
    statement = body[0]
    if isinstance(statement, ast.If):
        assert ast.unparse(statement.test) in ("plan is None", "not validated"), ast.unparse(statement.test)
        statement = statement.body[0]
    first = ast.unparse(statement)
    args_type = init.args.args[2].annotation
    assert args_type is not None
    assert first.startswith("check_component_args(") and first.endswith(f", name, args, {ast.unparse(args_type)})"), (
        f"{name}.__init__ starts with {first}"
    )


def _field_docs() -> dict[tuple[str, str], str]:
    docs = {}
    for path in (ROOT / "components").glob("*.py"):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.ClassDef) and any(ast.unparse(b) == "TypedDict" for b in node.bases):
                for item, after in zip(node.body, node.body[1:]):
                    if isinstance(item, ast.AnnAssign) and isinstance(after, ast.Expr):
                        docs[(node.name, ast.unparse(item.target))] = str(ast.literal_eval(after.value))
    return docs


# Each Args field whose docstring names its default, and the constant that is that default.
DOCUMENTED_DEFAULTS = [
    ("WorkspaceStorageArgs", "sku_name", defaults.STORAGE_SKU_NAME),
    ("WorkspaceStorageArgs", "kind", defaults.STORAGE_KIND),
    ("DatastoreSettings", "sku_name", defaults.STORAGE_SKU_NAME),
    ("DatastoreSettings", "kind", defaults.STORAGE_KIND),
    ("WorkspaceKeyVaultArgs", "sku_name", defaults.KEY_VAULT_SKU_NAME),
    ("WorkspaceKeyVaultArgs", "soft_delete_retention_in_days", defaults.KEY_VAULT_SOFT_DELETE_RETENTION_IN_DAYS),
    ("WorkspaceMonitoringArgs", "retention_in_days", defaults.LOG_ANALYTICS_RETENTION_IN_DAYS),
    ("WorkspaceContainerRegistryArgs", "sku_name", defaults.CONTAINER_REGISTRY_SKU_NAME),
    ("ComputeClusterSettings", "min_node_count", defaults.CLUSTER_MIN_NODE_COUNT),
    ("ComputeClusterSettings", "vm_priority", defaults.CLUSTER_VM_PRIORITY),
    ("ComputeClusterSettings", "node_idle_time_before_scale_down", defaults.CLUSTER_NODE_IDLE_TIME_BEFORE_SCALE_DOWN),
    ("CustomerManagedKeySettings", "key_size", defaults.CMK_KEY_SIZE),
    ("WorkspaceStorageArgs", "public_network_access", defaults.STORAGE_PUBLIC_NETWORK_ACCESS),
    ("WorkspaceStorageArgs", "network_default_action", defaults.STORAGE_NETWORK_DEFAULT_ACTION),
    ("WorkspaceKeyVaultArgs", "public_network_access", defaults.KEY_VAULT_PUBLIC_NETWORK_ACCESS),
    ("WorkspaceKeyVaultArgs", "network_default_action", defaults.KEY_VAULT_NETWORK_DEFAULT_ACTION),
    ("MachineLearningWorkspaceArgs", "public_network_access", defaults.WORKSPACE_PUBLIC_NETWORK_ACCESS),
    ("MachineLearningWorkspaceArgs", "managed_network_isolation_mode", defaults.WORKSPACE_ISOLATION_MODE),
    ("MachineLearningRegistrySettings", "public_network_access", defaults.ML_REGISTRY_PUBLIC_NETWORK_ACCESS),
    ("WorkspaceContainerRegistryArgs", "public_network_access", defaults.CONTAINER_REGISTRY_PUBLIC_NETWORK_ACCESS),
    ("WorkspaceMonitoringArgs", "public_network_access", defaults.MONITORING_PUBLIC_NETWORK_ACCESS),
    ("ComputeInstanceSettings", "ssh_public_access", defaults.COMPUTE_INSTANCE_SSH_PUBLIC_ACCESS),
]


@pytest.mark.parametrize("typed_dict, field, value", DOCUMENTED_DEFAULTS)
def test_args_docstrings_name_the_default_the_components_apply(typed_dict, field, value):
    doc = _field_docs()[(typed_dict, field)]
    # "default `X`", "default X", "`X` (default)" or "X (default)"
    said = re.findall(r"default `?([\w-]+)`?|`?([\w-]+)`? \(default", doc)
    assert str(value) in {a or b for a, b in said}, f"{typed_dict}.{field}: {doc!r} does not name {value!r}"


def test_every_default_constant_is_documented_in_an_args_docstring():
    documented = {v for _, _, v in DOCUMENTED_DEFAULTS}
    constants = {v for k, v in vars(defaults).items() if k.isupper()}
    assert constants <= documented


def test_stack_sections_leave_component_defaults_to_the_component():
    """A setting the stack file leaves out reaches the component unset: the component's default applies."""
    config = parse_stack_config(
        {
            "environment": "dev",
            "location": "westeurope",
            "tags": {"owner": "me"},
            "workspaces": [
                {
                    "project": "proj",
                    "computeClusters": [{"name": "cpu", "vmSize": "Standard_DS3_v2", "maxNodeCount": 2}],
                }
            ],
        },
        "Pulumi.dev.yaml",
    )
    workspace = config.workspaces[0]
    assert workspace.storage.model_dump(exclude_none=True) == {}
    assert workspace.compute_clusters[0].model_dump(exclude_none=True) == {
        "name": "cpu",
        "vm_size": "Standard_DS3_v2",
        "max_node_count": 2,
    }


@pytest.mark.parametrize(
    "key, value",
    [
        ("storage", {"lock": {"kind": "CanNotDelete"}}),
        ("keyVault", {"tenantId": "t"}),
        ("containerRegistry", {"tags": {}}),
    ],
)
def test_component_only_args_stay_unknown_in_a_stack_file(key, value):
    raw = {
        "environment": "dev",
        "location": "westeurope",
        "tags": {"owner": "me"},
        "workspaces": [{"project": "proj", key: value}],
    }
    with pytest.raises(StackConfigError) as caught:
        parse_stack_config(raw, "Pulumi.dev.yaml")
    (problem,) = caught.value.problems
    assert problem.startswith(
        f"amlws:workspaces[0].{key}.{next(iter(value))}: unknown setting; this section's settings"
    )
