"""Every resource the stacks and components create is named explicitly, by rules quoted from the specs."""

import json
from collections import Counter

import pytest

from amlws.components import ComponentInputError, MachineLearningWorkspace, PrivateDnsZones, WorkspaceKeyVault
from amlws.mocks import SUBSCRIPTION_ID, ArmMocks
from amlws.preview import PreviewError, preview_stack, run_program
from amlws.stacks.program import main
from amlws_rules import naming
from harness import ROOT, inputs, one, run, shared_preview

# The input that names each azure-native type the package declares. A new type must be added here
# with an explicit name in the component: without one, azure-native autonames it at `pulumi up`.
NAME_INPUT = {
    "resources:ResourceGroup": "resourceGroupName",
    "storage:StorageAccount": "accountName",
    "storage:BlobContainer": "containerName",
    "keyvault:Vault": "vaultName",
    "keyvault:Key": "keyName",
    "containerregistry:Registry": "registryName",
    "operationalinsights:Workspace": "workspaceName",
    "applicationinsights:Component": "resourceName",
    "managedidentity:UserAssignedIdentity": "resourceName",
    "machinelearningservices:Workspace": "workspaceName",
    "machinelearningservices:Registry": "registryName",
    "machinelearningservices:Compute": "computeName",
    "machinelearningservices:Datastore": "name",
    "machinelearningservices:EnvironmentContainer": "name",
    "machinelearningservices:EnvironmentVersion": "version",
    "authorization:RoleAssignment": "roleAssignmentName",
    "authorization:RoleDefinition": "roleDefinitionId",
    "authorization:PolicyDefinition": "policyDefinitionName",
    "authorization:PolicyAssignment": "policyAssignmentName",
    "monitor:DiagnosticSetting": "name",
    "consumption:Budget": "budgetName",
    "network:PrivateEndpoint": "privateEndpointName",
    "network:PrivateDnsZoneGroup": "privateDnsZoneGroupName",
    "privatedns:PrivateZone": "privateZoneName",
    "privatedns:VirtualNetworkLink": "virtualNetworkLinkName",
    "network:VirtualNetwork": "virtualNetworkName",
    "storage:BlobServiceProperties": "blobServicesName",
    "storage:FileServiceProperties": "fileServicesName",
    "authorization:ManagementLockByScope": "lockName",
}
RULES = {
    "storage:StorageAccount": naming.STORAGE_ACCOUNT,
    "keyvault:Vault": naming.KEY_VAULT,
    "containerregistry:Registry": naming.CONTAINER_REGISTRY,
    "operationalinsights:Workspace": naming.LOG_ANALYTICS,
    "applicationinsights:Component": naming.APPLICATION_INSIGHTS,
    "managedidentity:UserAssignedIdentity": naming.USER_ASSIGNED_IDENTITY,
    "machinelearningservices:Workspace": naming.ML_WORKSPACE,
    "network:PrivateEndpoint": naming.PRIVATE_ENDPOINT,
    "network:VirtualNetwork": naming.VIRTUAL_NETWORK,
    "consumption:Budget": naming.BUDGET,
}
GLOBAL = ("storage:StorageAccount", "keyvault:Vault", "containerregistry:Registry")
VNET = f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-hub"
SUBNET = f"{VNET}/subnets/endpoints"


stack = shared_preview  # read only; test_names_are_the_same_on_every_run runs dev again


def typed(result):
    return [
        (f"{r.type.split(':')[1]}:{r.type.split(':')[2]}", r)
        for r in result.registrations
        if r.type.startswith("azure-native:")
    ]


def names_of(result, kind):
    return [inputs(r)[NAME_INPUT[kind]] for k, r in typed(result) if k == kind]


@pytest.mark.parametrize("name", ["dev", "prod"])
def test_every_azure_resource_the_stack_creates_is_named_and_obeys_its_rule(name):
    for kind, reg in typed(stack(name)):
        assert kind in NAME_INPUT, f"{kind} ({reg.name}): give it an explicit name and add its name input to NAME_INPUT"
        value = inputs(reg).get(NAME_INPUT[kind])
        assert isinstance(value, str) and value, f"{reg.name}: no {NAME_INPUT[kind]}, so azure-native would autoname it"
        if kind in RULES:
            assert naming.name_violation(RULES[kind], value) is None, naming.name_violation(RULES[kind], value)


def test_the_defective_autonames_of_the_issue_are_gone():
    """`*-storage-st` had hyphens, `*-keyvault-kv` autonamed to 25-26 characters, `shared-registry-acr` had hyphens."""
    prod = stack("prod")
    assert sorted(names_of(stack("dev"), "storage:StorageAccount")) == [
        n for n in names_of(stack("dev"), "storage:StorageAccount") if n.isalnum()
    ]
    for kind in GLOBAL:
        for value in names_of(prod, kind) + names_of(stack("dev"), kind):
            assert naming.name_violation(RULES[kind], value) is None
    lake = next(inputs(r) for k, r in typed(prod) if k == "storage:StorageAccount" and r.name == "churn-churn-lake-st")
    assert lake["accountName"].startswith("stchurnlakeprod") and len(lake["accountName"]) <= 24
    assert names_of(prod, "containerregistry:Registry")[0].startswith("crsharedprod")
    assert names_of(stack("dev"), "keyvault:Vault")[0].startswith("kv-churn-dev-")


def test_dev_and_prod_together_have_no_colliding_global_names_or_role_assignment_names():
    for kind in (*GLOBAL, "authorization:RoleAssignment", "authorization:RoleDefinition"):
        both = names_of(stack("dev"), kind) + names_of(stack("prod"), kind)
        duplicates = [n for n, count in Counter(n.lower() for n in both).items() if count > 1]
        assert not duplicates, (kind, duplicates)


def test_names_are_the_same_on_every_run():
    again = preview_stack(ROOT, "dev")
    for kind in NAME_INPUT:
        assert names_of(again, kind) == names_of(stack("dev"), kind), kind


def preview_config(config: dict, stack_name: str = "qa"):
    raw = {f"amlws:{k}": (json.dumps(v) if isinstance(v, (dict, list)) else str(v)) for k, v in config.items()}
    return run_program(main, "amlws", stack_name, raw, [], ArmMocks({}))


BASE = {"environment": "qa", "location": "westeurope", "tags": {"owner": "qa-team"}}


def test_every_name_can_be_set_in_the_stack_file():
    workspace = {
        "project": "churn",
        "workspaceName": "mlw-churn-custom",
        "storage": {"accountName": "stchurncustom"},
        "keyVault": {"vaultName": "kv-churn-custom"},
        "containerRegistry": {"registryName": "crchurncustom"},
        "monitoring": {"logAnalyticsWorkspaceName": "log-custom", "applicationInsightsName": "appi-custom"},
        "customerManagedKey": {"keyName": "cmk", "identityName": "id-custom"},
        "datastores": [
            {
                "name": "lake",
                "containerName": "raw",
                "datastoreType": "AzureDataLakeGen2",
                "accountName": "stlakecustom",
            }
        ],
        "budget": {"budgetName": "budget-custom", "amount": 10, "contactEmails": ["a@b.c"]},
    }
    result = preview_config({**BASE, "workspaces": [workspace]})
    got = {kind: sorted(names_of(result, kind)) for kind in NAME_INPUT}
    assert got["machinelearningservices:Workspace"] == ["mlw-churn-custom"]
    assert got["storage:StorageAccount"] == ["stchurncustom", "stlakecustom"]
    assert got["keyvault:Vault"] == ["kv-churn-custom"] and got["containerregistry:Registry"] == ["crchurncustom"]
    assert got["operationalinsights:Workspace"] == ["log-custom"] and got["applicationinsights:Component"] == [
        "appi-custom"
    ]
    assert got["managedidentity:UserAssignedIdentity"] == ["id-custom"] and got["consumption:Budget"] == [
        "budget-custom"
    ]


def test_shared_resources_take_their_names_from_the_shared_section():
    shared = {"keyVault": {"vaultName": "kv-shared-custom"}, "containerRegistry": {"registryName": "crsharedcustom"}}
    result = preview_config({**BASE, "shared": shared, "workspaces": [{"project": "churn"}]})
    assert names_of(result, "keyvault:Vault") == ["kv-shared-custom"]
    assert names_of(result, "containerregistry:Registry") == ["crsharedcustom"]


def test_the_name_seed_changes_every_suffix_but_not_the_readable_part():
    plain = preview_config({**BASE, "workspaces": [{"project": "churn"}]})
    seeded = preview_config({**BASE, "nameSeed": "contoso", "workspaces": [{"project": "churn"}]})
    for kind in GLOBAL[:2]:
        [a], [b] = names_of(plain, kind), names_of(seeded, kind)
        assert a != b and a[:-6] == b[:-6]


@pytest.mark.parametrize(
    "section, value, rule",
    [
        ({"storage": {"accountName": "st-churn"}}, "st-churn", naming.STORAGE_ACCOUNT),
        ({"keyVault": {"vaultName": "kv-churn-qa-far-too-long-1"}}, "kv-churn-qa-far-too-long-1", naming.KEY_VAULT),
        ({"containerRegistry": {"registryName": "cr-churn"}}, "cr-churn", naming.CONTAINER_REGISTRY),
        ({"workspaceName": "-mlw"}, "-mlw", naming.ML_WORKSPACE),
        ({"monitoring": {"logAnalyticsWorkspaceName": "log-"}}, "log-", naming.LOG_ANALYTICS),
    ],
)
def test_a_name_that_breaks_its_rule_is_refused_with_the_file_key_value_and_rule(section, value, rule):
    with pytest.raises(PreviewError) as caught:
        preview_config({**BASE, "workspaces": [{"project": "churn", **section}]})
    message = str(caught.value)
    assert (
        "Pulumi.qa.yaml" in message
        and json.dumps(value) in message
        and rule.pattern in message
        and rule.source in message
    )
    assert caught.value.registrations == []


@pytest.mark.parametrize(
    "args, setting",
    [
        ({"storage": {"account_name": "Upper"}}, "storage.account_name"),
        ({"key_vault": {"vault_name": "kv_underscore"}}, "key_vault.vault_name"),
        ({"container_registry": {"registry_name": "cr", "tags": {"a": "b"}}}, "container_registry.registry_name"),
        ({"workspace_name": "w" * 34}, "workspace_name"),
        (
            {"customer_managed_key": {"key_name": "k", "identity_name": "id with space"}},
            "customer_managed_key.identity_name",
        ),
        (
            {"datastores": [{"name": "lake", "container_name": "raw", "account_name": "st-lake"}]},
            "datastores[0].account_name",
        ),
    ],
)
def test_a_component_refuses_a_bad_name_before_anything_is_declared(args, setting):
    with pytest.raises(ComponentInputError, match=r"must match .* and be \d+-\d+ characters") as caught:
        run(lambda: MachineLearningWorkspace("w", {"resource_group_name": "rg", **args}))  # type: ignore[typeddict-item]
    assert caught.value.setting == setting


def test_components_used_alone_name_everything_too():
    def program():
        MachineLearningWorkspace(
            "w",
            {
                "resource_group_name": "rg",
                "customer_managed_key": {"key_name": "k"},
                "private_endpoints": {
                    "subnet_id": SUBNET,
                    "private_dns_zone_ids": {
                        z: f"{SUBNET.split('/providers/')[0]}/providers/Microsoft.Network/privateDnsZones/{z}"
                        for z in (
                            "privatelink.api.azureml.ms",
                            "privatelink.notebooks.azure.net",
                            "privatelink.blob.core.windows.net",
                            "privatelink.file.core.windows.net",
                            "privatelink.vaultcore.azure.net",
                        )
                    },
                },
            },
        )
        PrivateDnsZones(
            "dns", {"resource_group_name": "rg", "virtual_network_id": VNET, "zones": ["privatelink.api.azureml.ms"]}
        )

    result = run(program)
    for kind, reg in typed(result):
        value = inputs(reg).get(NAME_INPUT[kind])
        assert isinstance(value, str) and value, reg.name
        if kind in RULES:
            assert naming.name_violation(RULES[kind], value) is None
    assert sorted(names_of(result, "network:PrivateEndpoint"))[0] == "pep-w-pe-kv"
    assert names_of(result, "privatedns:VirtualNetworkLink") == ["link-vnet-hub"]
    # a name the component picks is kept for resources an earlier version let azure-native autoname
    vault = one(result, "keyvault:Vault")
    assert "vaultName" in vault.ignore_changes
    given = run(lambda: WorkspaceKeyVault("v", {"resource_group_name": "rg", "vault_name": "kv-given"}))
    assert "vaultName" not in one(given, "keyvault:Vault").ignore_changes  # a name the user gives is applied


def test_a_given_name_is_applied_and_the_picked_name_is_stable_per_stack():
    first = run(lambda: WorkspaceKeyVault("v", {"resource_group_name": "rg"}))
    second = run(lambda: WorkspaceKeyVault("v", {"resource_group_name": "rg"}), stack="other")
    given = run(lambda: WorkspaceKeyVault("v", {"resource_group_name": "rg", "vault_name": "kv-given"}))
    [a], [b], [c] = (names_of(r, "keyvault:Vault") for r in (first, second, given))
    assert a.startswith("kv-v-") and b.startswith("kv-v-") and a != b and c == "kv-given"


def test_name_rules_quote_the_spec():
    assert naming.name_violation(naming.STORAGE_ACCOUNT, "churn-storage-st1a2b3c4d") is not None
    assert "2024-01-01/storage.json" in naming.STORAGE_ACCOUNT.source
    assert naming.name_violation(naming.KEY_VAULT, "churn-keyvault-kv1a2b3c4d").startswith(
        "'churn-keyvault-kv1a2b3c4d' is 25 characters"
    )
    assert naming.name_violation(naming.CONTAINER_REGISTRY, "sharedregistryacr") is None
    assert naming.unique_suffix("a", "b") == naming.unique_suffix("A", "B") != naming.unique_suffix("a", "c")


def test_name_rules_agree_with_the_spec_facts_the_preview_checks():
    """naming.py (read from the specs by hand) and amlws/spec_facts.json (extracted from Microsoft's SDKs)
    must state the same pattern and lengths; a type the facts give no pattern keeps this package's
    conservative rule, and says so."""
    facts = json.loads((ROOT / "amlws" / "spec_facts.json").read_text())["resources"]
    for kind, rule in RULES.items():
        name = facts[f"azure-native:{kind}"]["name"]
        assert name["property"] == rule.property, kind
        if "pattern" in name:
            assert name["pattern"] == rule.pattern, kind
            assert (
                name.get("minLength", rule.min_length) == rule.min_length
                and name.get("maxLength", rule.max_length) == rule.max_length
            ), kind
        else:
            assert rule.source.startswith("a conservative rule of this package"), kind
