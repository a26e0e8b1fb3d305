"""examples/avm: the Azure Verified Module's e2e scenarios for the ML workspace (Azure/bicep-registry-modules,
avm/res/machine-learning-services/workspace/tests/e2e/<scenario>/main.test.bicep), each written as a stack file
of this package and previewed as CI and users preview it: `amlws preview <stack> --cwd examples/avm/<scenario>
--policy-pack policy`, with policy/config/prod.json for the prod (WAF-aligned) scenario. Each example is
previewed once (the module fixture); the tests read the ARM inputs AVM's test sends for the same scenario.
examples/avm/README.md maps each scenario to its keys and says what cannot be written here."""

from __future__ import annotations

import contextlib
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pytest

from amlws.cli import main as cli_main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples/avm"
SUBSCRIPTION = "/subscriptions/00000000-0000-0000-0000-000000000000"


def identity_id(project: str) -> str:
    """The user-assigned identity AVM's dependencies.bicep deploys: existing here (the folder's fixtures.json)."""
    return (
        f"{SUBSCRIPTION}/resourceGroups/rg-{project}-deps/providers/Microsoft.ManagedIdentity"
        f"/userAssignedIdentities/id-{project}"
    )


WORKSPACE = "azure-native:machinelearningservices:Workspace"


@dataclass(frozen=True)
class Scenario:
    stack: str
    policy_config: str | None = None  # relative to the repository; None: the pack's schema defaults
    fixtures: bool = False  # the folder's fixtures.json answers the lookups of the resources AVM's test brings


SCENARIOS = {
    "defaults": Scenario("test"),
    "waf-aligned": Scenario("prod", "policy/config/prod.json"),
    "ai-hub": Scenario("test"),
    "ai-project": Scenario("test"),
    "feature-store": Scenario("test"),
    "encr": Scenario("test", fixtures=True),
    # AVM max grants Owner: the pack's workspace-privileged-role-assignment allows it only for a listed principal.
    "max": Scenario("test", "examples/avm/max/policy-config.json", fixtures=True),
}
# The pack's workspace network policies leave a Project alone: its hub decides its network
# (amlws_rules.kinds.inherits_hub_network); these would otherwise fire on every Project.
PROJECT_NETWORK_POLICIES = [
    "workspace-managed-network-isolation-mode",
    "workspace-network-isolation",
    "workspace-public-network-access-disabled",
]


@dataclass
class Preview:
    code: int
    output: str
    report: dict[str, Any]

    def resources(self, type_: str) -> list[dict[str, Any]]:
        return [r for r in self.report["resources"] if r["type"] == type_]

    def named(self, name: str) -> dict[str, Any]:
        found = [r for r in self.report["resources"] if r["name"] == name]
        assert len(found) == 1, f"{name}: {len(found)} resources"
        return found[0]["inputs"]

    def workspace(self) -> dict[str, Any]:
        (workspace,) = self.resources(WORKSPACE)
        return workspace["inputs"]


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Preview]:
    """`preview("encr")`: the example's CLI preview with the pack, run once for the module."""
    cache: dict[str, Preview] = {}
    out_dir = tmp_path_factory.mktemp("avm")

    def get(name: str) -> Preview:
        if name not in cache:
            scenario, folder = SCENARIOS[name], EXAMPLES / name
            out = out_dir / f"{name}.json"
            argv = ["preview", scenario.stack, "--cwd", str(folder), "--policy-pack", str(ROOT / "policy")]
            if scenario.policy_config:
                argv += ["--policy-config", str(ROOT / scenario.policy_config)]
            if scenario.fixtures:
                argv += ["--fixtures", str(folder / "fixtures.json")]
            text = io.StringIO()
            with contextlib.redirect_stdout(text), contextlib.redirect_stderr(text):
                code = cli_main([*argv, "--json", str(out), "--quiet"])
            report = json.loads(out.read_text()) if out.exists() else {"resources": [], "violations": []}
            cache[name] = Preview(code, text.getvalue(), report)
        return cache[name]

    return get


@pytest.mark.parametrize(
    "name",
    sorted(SCENARIOS),
)
def test_the_example_previews_with_the_pack_and_no_mandatory_violation(preview, name):
    result = preview(name)
    assert result.code == 0, result.output
    mandatory = [v for v in result.report["violations"] if v["level"] == "mandatory"]
    assert not mandatory, mandatory


def test_every_example_folder_is_a_scenario_and_a_pulumi_project_of_the_stack_program():
    folders = sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir() and not p.name.startswith((".", "__")))
    assert folders == sorted(SCENARIOS)
    readme = (EXAMPLES / "README.md").read_text()
    for name, scenario in SCENARIOS.items():
        folder = EXAMPLES / name
        assert (folder / f"Pulumi.{scenario.stack}.yaml").is_file()
        assert "from amlws.stacks.program import main" in (folder / "__main__.py").read_text()
        assert (folder / "requirements.txt").read_text().splitlines()[-1] == "../../.."
        assert f"`{name}`" in readme


def test_defaults_is_one_workspace_with_its_own_associated_resources_and_secure_defaults(preview):
    result = preview("defaults")
    workspace = result.workspace()
    assert workspace["sku"]["name"] == "Basic"  # AVM defaults: sku 'Basic'
    assert workspace["publicNetworkAccess"] == "Disabled"
    assert workspace["managedNetwork"]["isolationMode"] == "AllowOnlyApprovedOutbound"
    for associated in ("storageAccount", "keyVault", "applicationInsights"):
        assert workspace[associated].startswith("/subscriptions/")  # AVM's associated*ResourceId


def test_waf_aligned_is_private_isolated_with_its_outbound_rules_and_endpoint(preview):
    result = preview("waf-aligned")
    workspace = result.workspace()
    assert workspace["publicNetworkAccess"] == "Disabled"
    network = workspace["managedNetwork"]
    assert network["isolationMode"] == "AllowOnlyApprovedOutbound"
    rules = network["outboundRules"]
    assert rules["rule1"]["type"] == "PrivateEndpoint"
    assert rules["rule1"]["destination"]["subresourceTarget"] == "blob"
    assert rules["rule1"]["destination"]["serviceResourceId"].endswith("/storageAccounts/stdiagmlswwaf")
    assert rules["rule2"] == {"type": "FQDN", "destination": "pypi.org", "category": "UserDefined"}
    assert rules["rule3"]["type"] == "ServiceTag"
    assert {k: rules["rule3"]["destination"][k] for k in ("serviceTag", "portRanges", "protocol")} == {
        "serviceTag": "AppService",
        "portRanges": "80,443",
        "protocol": "TCP",
    }
    assert workspace["systemDatastoresAuthMode"] == "identity"
    endpoint = result.named("mlswwaf-pe-mlw")
    (connection,) = endpoint["privateLinkServiceConnections"]
    assert connection["groupIds"] == ["amlworkspace"]
    assert endpoint["subnet"]["id"].endswith("/virtualNetworks/vnet-mlswwaf/subnets/snet-private-endpoints")
    zones = [c["privateDnsZoneId"] for c in result.named("mlswwaf-pe-mlw-dns")["privateDnsZoneConfigs"]]
    assert [z.rsplit("/", 1)[-1] for z in zones] == ["privatelink.api.azureml.ms", "privatelink.notebooks.azure.net"]
    assert not any(
        r["inputs"]["privateZoneName"] == "privatelink.api.azureml.ms"
        for r in result.resources("azure-native:privatedns:PrivateZone")
    )
    assert result.resources("azure-native:monitor:DiagnosticSetting")  # AVM diagnosticSettings


def test_ai_hub_is_a_hub_with_its_workspace_hub_config(preview):
    workspace = preview("ai-hub").workspace()
    assert workspace["kind"] == "Hub"
    assert workspace["location"] == "uksouth"  # AVM's enforcedLocation
    assert workspace["workspaceHubConfig"] == {
        "additionalWorkspaceStorageAccounts": [
            "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-mlswaih-test"
            "/providers/Microsoft.Storage/storageAccounts/stmlswaih2"
        ],
        "defaultWorkspaceResourceGroup": f"{SUBSCRIPTION}/resourceGroups/rg-mlswaih-test",
    }
    assert workspace["storageAccount"].startswith("/subscriptions/")  # a hub has its own associated resources


def test_ai_project_is_a_project_of_its_hub_with_no_resources_of_its_own(preview):
    result = preview("ai-project")
    workspace = result.workspace()
    assert workspace["kind"] == "Project"
    assert workspace["hubResourceId"] == (
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-mlswaip-test"
        "/providers/Microsoft.MachineLearningServices/workspaces/mlswaiphub001"
    )
    for decided_by_the_hub in ("storageAccount", "keyVault", "applicationInsights", "managedNetwork"):
        assert decided_by_the_hub not in workspace
    mandatory = {v["policy"] for v in result.report["violations"] if v["level"] == "mandatory"}
    assert mandatory == set()
    judged = {v["policy"] for v in result.report["violations"]}
    assert not judged & set(PROJECT_NETWORK_POLICIES)  # the hub's network is judged on the hub


def test_feature_store_is_a_feature_store_on_spark_3_3(preview):
    workspace = preview("feature-store").workspace()
    assert workspace["kind"] == "FeatureStore"
    assert workspace["featureStoreSettings"] == {"computeRuntime": {"sparkRuntimeVersion": "3.3"}}


def test_encr_is_encrypted_with_its_key_and_runs_as_the_existing_identity(preview):
    result = preview("encr")
    workspace = result.workspace()
    msi = identity_id("mlswecr")
    assert workspace["identity"]["type"] == "UserAssigned"
    assert msi in workspace["identity"]["userAssignedIdentities"]
    assert workspace["primaryUserAssignedIdentity"] == msi
    encryption = workspace["encryption"]
    assert encryption["status"] == "Enabled"
    assert encryption["keyVaultProperties"]["keyVaultArmId"] == workspace["keyVault"]
    assert "/keys/" in encryption["keyVaultProperties"]["keyIdentifier"]
    assert encryption["identity"]["userAssignedIdentity"] in workspace["identity"]["userAssignedIdentities"]
    (endpoint,) = [
        r["inputs"]
        for r in result.resources("azure-native:network:PrivateEndpoint")
        if r["inputs"]["privateLinkServiceConnections"][0]["groupIds"] == ["amlworkspace"]
    ]
    assert endpoint["subnet"]["id"].endswith("/virtualNetworks/vnet-mlswecr/subnets/defaultSubnet")
    (group,) = [
        r["inputs"]
        for r in result.resources("azure-native:network:PrivateDnsZoneGroup")
        if r["inputs"]["privateEndpointName"] == "pep-mlswecr-pe-mlw"
    ]
    assert group["privateDnsZoneConfigs"][0]["privateDnsZoneId"] == (
        f"{SUBSCRIPTION}/resourceGroups/rg-mlswecr-deps/providers/Microsoft.Network/privateDnsZones/privatelink.api.azureml.ms"
    )


def test_encr_the_existing_identity_unwraps_the_key(preview):
    """AVM encr: customerManagedKey.userAssignedIdentityResourceId is the identity the workspace runs as; the stack
    creates no key identity of its own."""
    result = preview("encr")
    encryption = result.workspace()["encryption"]
    assert encryption["identity"]["userAssignedIdentity"] == identity_id("mlswecr")
    assert encryption["keyVaultProperties"]["identityClientId"] == "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
    assert not result.resources("azure-native:managedidentity:UserAssignedIdentity")


def test_max_sends_avms_compute_identity_serverless_subnet_and_locks(preview):
    result = preview("max")
    workspace = result.workspace()
    msi = identity_id("mlswmax")
    assert workspace["description"] == "The cake is a lie."
    assert workspace["identity"] == {"type": "UserAssigned", "userAssignedIdentities": [msi]}
    assert workspace["primaryUserAssignedIdentity"] == msi
    assert workspace["imageBuildCompute"] == "DefaultCPU"
    assert workspace["serverlessComputeSettings"] == {
        "serverlessComputeCustomSubnet": f"{SUBSCRIPTION}/resourceGroups/rg-mlswmax-deps/providers/Microsoft.Network"
        "/virtualNetworks/vnet-mlswmax/subnets/defaultSubnet",
        "serverlessComputeNoPublicIP": True,
    }
    (cluster,) = [r["inputs"] for r in result.resources("azure-native:machinelearningservices:Compute")]
    assert cluster["computeName"] == "DefaultCPU"
    assert cluster["identity"] == {"type": "UserAssigned", "userAssignedIdentities": [msi]}
    compute = cluster["properties"]
    assert compute["computeType"] == "AmlCompute"
    assert compute["properties"]["vmPriority"] == "Dedicated"
    assert compute["properties"]["scaleSettings"] == {
        "maxNodeCount": 3,
        "minNodeCount": 0,
        "nodeIdleTimeBeforeScaleDown": "PT5M",
    }
    locks = [r["inputs"] for r in result.resources("azure-native:authorization:ManagementLockByScope")]
    assert locks and all(lock["level"] == "CanNotDelete" for lock in locks)  # AVM lock


def test_max_sends_its_custom_setting_to_three_destinations_with_all_metrics(preview):
    """AVM max: `customSetting` to Log Analytics, a storage account and an event hub with AllMetrics; allLogs too,
    which the pack asks for (examples/avm/max/Pulumi.test.yaml says why)."""
    (setting,) = [
        r["inputs"]
        for r in preview("max").resources("azure-native:monitor:DiagnosticSetting")
        if r["inputs"].get("name") == "customSetting"
    ]
    assert setting["resourceUri"].endswith("/workspaces/mlw-mlswmax-test")
    assert {"workspaceId", "storageAccountId", "eventHubAuthorizationRuleId", "eventHubName"} <= set(setting)
    assert [m["category"] for m in setting["metrics"]] == ["AllMetrics"]
    assert [log["categoryGroup"] for log in setting["logs"]] == ["allLogs"]


def test_max_grants_avms_roles_to_the_managed_identity(preview):
    """AVM max: Owner by name, Contributor by GUID and Reader by full role definition ID, each to the managed
    identity as a ServicePrincipal, scoped to the workspace. Contributor is the workspace identity's own grant (the
    component makes it; a second one is refused, as Azure answers 409 RoleAssignmentExists): the example grants
    AzureML Data Scientist by GUID instead."""
    result = preview("max")
    workspace_id = (
        f"{SUBSCRIPTION}/resourceGroups/rg-mlswmax-test/providers/Microsoft.MachineLearningServices/workspaces/"
    )
    grants = [
        r["inputs"]
        for r in result.resources("azure-native:authorization:RoleAssignment")
        if r["inputs"]["principalId"] == "6f1e2d3c-4b5a-4c6d-8e7f-0a1b2c3d4e5f"
        and r["inputs"]["scope"] == workspace_id + "mlw-mlswmax-test"
    ]
    roles = sorted(g["roleDefinitionId"].rsplit("/", 1)[-1] for g in grants)
    assert roles == sorted(
        [
            "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",  # Owner
            "b24988ac-6180-42a0-ab88-20f7382dd24c",  # Contributor: the workspace identity's own grant
            "f6c7c914-8db3-469d-8ca1-694a8f32e121",  # AzureML Data Scientist, by GUID
            "acdd72a7-3385-48ef-bd42-f606fba81ae7",  # Reader
        ]
    )
    assert all(g["principalType"] == "ServicePrincipal" for g in grants)


def test_waf_aligned_spark_rule_and_logs_to_three_destinations(preview):
    """AVM waf-aligned: rule1 with sparkEnabled, and one diagnostic setting to Log Analytics, a storage account and
    an event hub, and systemDatastoresAuthMode identity."""
    result = preview("waf-aligned")
    assert result.workspace()["managedNetwork"]["outboundRules"]["rule1"]["destination"]["sparkEnabled"] is True
    settings = [
        r["inputs"]
        for r in result.resources("azure-native:monitor:DiagnosticSetting")
        if r["inputs"]["resourceUri"].endswith("/workspaces/mlw-mlswwaf-prod")
    ]
    assert any(
        {"workspaceId", "storageAccountId", "eventHubAuthorizationRuleId", "eventHubName"} <= set(s) for s in settings
    )
    assert result.workspace()["systemDatastoresAuthMode"] == "identity"


def test_waf_aligned_endpoint_goes_into_the_existing_dns_zone(preview):
    """AVM waf-aligned: the workspace's private endpoint registers in an existing privatelink.api.azureml.ms zone
    (the stack creates, in amlws:network, the zones of the other endpoints)."""
    result = preview("waf-aligned")
    zones = [c["privateDnsZoneId"] for c in result.named("mlswwaf-pe-mlw-dns")["privateDnsZoneConfigs"]]
    assert (
        f"{SUBSCRIPTION}/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.api.azureml.ms"
        in zones
    )
