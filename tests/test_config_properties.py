"""Property-based tests of the stack configuration: any input yields a valid stack or a named
configuration error (stack file, key, value), never a traceback."""

import json

from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from amlws.mocks import ArmMocks
from amlws.preview import PreviewError, run_program
from stacks.config import StackConfig, StackConfigError, parse_stack_config
from stacks.program import main as program

STACK_FILE = "Pulumi.h.yaml"
GUID = "3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5000),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(["Enabled", "Disabled", "Premium_LRS", "BlobStorage", "PT30M", "P5D", GUID, "2026-12-01"]),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)

WORKSPACE_KEYS = [
    "project",
    "publicNetworkAccess",
    "hbiWorkspace",
    "managedNetworkIsolationMode",
    "storage",
    "keyVault",
    "monitoring",
    "containerRegistry",
    "computeInstances",
    "computeClusters",
    "access",
    "customerManagedKey",
    "datastores",
    "budget",
    "diagnostics",
    "managedNetworkOutboundRules",
    "tags",
    "identityType",
    "privateEndpoints",
]

# Values that are often valid, so the strategy reaches deep into the model, mixed with anything at all.
plausible = {
    "project": st.sampled_from(["churn", "fraud", "a", "Bad_Name", "x" * 30]),
    "storage": st.fixed_dictionaries(
        {},
        optional={
            "skuName": st.sampled_from(["Standard_LRS", "Premium_LRS", "Standard_ZRS"]),
            "kind": st.sampled_from(["StorageV2", "BlobStorage", "Storage"]),
            "isHnsEnabled": st.booleans(),
        },
    ),
    "keyVault": st.fixed_dictionaries(
        {}, optional={"enablePurgeProtection": st.booleans(), "softDeleteRetentionInDays": st.integers(0, 120)}
    ),
    "containerRegistry": st.fixed_dictionaries(
        {},
        optional={
            "skuName": st.sampled_from(["Basic", "Premium", "Gold"]),
            "publicNetworkAccess": st.sampled_from(["Enabled", "Disabled"]),
        },
    ),
    "computeClusters": st.lists(
        st.fixed_dictionaries(
            {
                "name": st.sampled_from(["cpu", "gpu", "c"]),
                "vmSize": st.just("Standard_DS3_v2"),
                "maxNodeCount": st.integers(-1, 30),
            },
            optional={"minNodeCount": st.integers(-1, 5)},
        ),
        max_size=2,
    ),
    "computeInstances": st.lists(
        st.fixed_dictionaries(
            {
                "name": st.sampled_from(["dev-ci1", "ci"]),
                "vmSize": st.just("Standard_DS3_v2"),
                "idleTimeBeforeShutdown": st.sampled_from(["PT30M", "PT5M", "P5D", "soon"]),
            },
            optional={"assignedUserObjectId": st.sampled_from([GUID, "me"])},
        ),
        max_size=2,
    ),
    "access": st.fixed_dictionaries(
        {},
        optional={
            "dataScientists": st.lists(st.sampled_from([GUID, "nope"]), max_size=2),
            "readers": st.lists(st.just(GUID), max_size=1),
        },
    ),
    "customerManagedKey": st.fixed_dictionaries({"keyName": st.sampled_from(["cmk", "bad key"])}),
    "datastores": st.lists(
        st.fixed_dictionaries(
            {
                "name": st.sampled_from(["lake", "bad-name"]),
                "containerName": st.sampled_from(["raw", "R"]),
                "datastoreType": st.sampled_from(["AzureBlob", "AzureDataLakeGen2", "Nfs"]),
            },
            optional={"isHnsEnabled": st.booleans(), "skuName": st.sampled_from(["Premium_LRS", "Standard_LRS"])},
        ),
        max_size=2,
    ),
    "budget": st.fixed_dictionaries(
        {
            "amount": st.integers(-1, 100),
            "startDate": st.sampled_from(["2026-12-01", "2026-12-15", "never"]),
            "contactEmails": st.lists(st.just("a@b.c"), max_size=1),
        }
    ),
}


def workspace():
    return st.fixed_dictionaries(
        {"project": plausible["project"]},
        optional={
            key: st.one_of(plausible[key], json_values) if key in plausible else json_values
            for key in WORKSPACE_KEYS
            if key != "project"
        },
    )


def plausible_workspace():
    """Only plausible values: most of these are valid, so the components' own checks get exercised."""
    return st.fixed_dictionaries(
        {"project": st.sampled_from(["churn", "fraud"])},
        optional={k: v for k, v in plausible.items() if k != "project"},
    )


stack_configs = st.fixed_dictionaries(
    {},
    optional={
        "environment": st.one_of(st.sampled_from(["dev", "prod", "Prod", ""]), json_values),
        "location": st.one_of(st.just("westeurope"), json_values),
        "tags": st.one_of(
            st.just({"owner": "me"}), st.dictionaries(st.text(max_size=6), st.text(max_size=6), max_size=2), json_values
        ),
        "protect": st.one_of(st.booleans(), json_values),
        "workspaces": st.one_of(st.lists(workspace(), max_size=3), json_values),
        "shared": st.one_of(
            st.fixed_dictionaries({}, optional={"keyVault": st.just({}), "containerRegistry": st.just({})}), json_values
        ),
        "typo": json_values,
    },
)


def as_pulumi_config(config: dict) -> dict[str, str]:
    """What the engine hands a program: structured values as JSON text, scalars as strings."""
    return {
        k: json.dumps(v)
        if isinstance(v, (dict, list))
        else ("" if v is None else str(v).lower() if isinstance(v, bool) else str(v))
        for k, v in config.items()
    }


def assert_named(err: StackConfigError) -> None:
    assert str(err).startswith(f"{STACK_FILE}: invalid configuration:")
    assert err.problems and all(p.startswith("amlws") for p in err.problems), err.problems


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stack_configs)
@example(
    {"location": "westeurope", "environment": "dev", "workspaces": [{"project": "churn"}]}
)  # no tags: once parsed without an owner
def test_any_config_parses_or_names_the_problem(config):
    try:
        parsed = parse_stack_config(as_pulumi_config(config), STACK_FILE)
    except StackConfigError as err:
        assert_named(err)
        event("refused with a named error")
    else:
        event("valid")
        assert isinstance(parsed, StackConfig) and parsed.workspaces and parsed.tags.get("owner")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(plausible_workspace(), workspace()), min_size=1, max_size=2), st.booleans())
def test_any_workspace_list_previews_or_fails_with_a_named_error_before_declaring(workspaces, shared):
    config = {"environment": "h", "location": "westeurope", "tags": {"owner": "me"}, "workspaces": workspaces}
    if shared:
        config["shared"] = {"keyVault": {}, "containerRegistry": {"skuName": "Premium"}}
    raw = {f"amlws:{k}": v for k, v in as_pulumi_config(config).items()}
    try:
        result = run_program(program, "amlws", "h", raw, [], ArmMocks())
    except PreviewError as err:
        assert isinstance(err.cause, StackConfigError), repr(err.cause)  # never a traceback from deeper down
        assert_named(err.cause)
        assert err.registrations == []  # nothing was half-declared
        event("refused with a named error")
    else:
        event("previewed")
        assert sum(r.type == "azure-native:machinelearningservices:Workspace" for r in result.registrations) == len(
            workspaces
        )
