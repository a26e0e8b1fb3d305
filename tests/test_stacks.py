"""The dev and prod stacks, and configuration errors that name the stack file, key and value."""

import json

from amlws.mocks import SUBSCRIPTION_ID

import pytest

from amlws.preview import PreviewError, PreviewResult, preview_stack, run_program
from amlws.mocks import ArmMocks
from amlws.stacks.program import main
from harness import by_type, inputs, one


def preview_config(config: dict, fixtures: dict | None = None, stack: str = "qa"):
    raw = {f"amlws:{k}": (json.dumps(v) if isinstance(v, (dict, list)) else str(v)) for k, v in config.items()}
    return run_program(main, "amlws", stack, raw, [], ArmMocks(fixtures or {}))


BASE = {
    "environment": "qa",
    "location": "westeurope",
    "tags": {"owner": "qa-team"},
    "workspaces": [{"project": "churn"}],
}


def projects_only(result: PreviewResult) -> PreviewResult:
    """The project workspaces' side of a stack, without its self-serve zone (tests/test_self_serve.py covers that)."""
    return PreviewResult(
        result.project, result.stack, [r for r in result.registrations if "amlws:index:SelfServeZone" not in r.urn]
    )


def test_dev_is_cheap_and_open(stack_preview):
    result = projects_only(stack_preview("dev"))
    ws = inputs(one(result, "machinelearningservices:Workspace"))
    assert ws["publicNetworkAccess"] == "Enabled"
    assert by_type(result, "containerregistry:Registry") == []
    cluster = [c for c in by_type(result, "Compute") if inputs(c)["properties"]["computeType"] == "AmlCompute"][0]
    scale = inputs(cluster)["properties"]["properties"]
    assert scale["vmPriority"] == "LowPriority" and scale["scaleSettings"]["minNodeCount"] == 0
    assert not any(r.protect for r in result.registrations)
    assert "enablePurgeProtection" not in inputs(one(result, "keyvault:Vault"))["properties"]


def test_prod_is_locked_down(stack_preview):
    result = stack_preview("prod")
    for ws in map(inputs, by_type(result, "machinelearningservices:Workspace")):
        assert ws["publicNetworkAccess"] == "Disabled" and ws["hbiWorkspace"] is True
        assert ws["managedNetwork"]["isolationMode"] == "AllowOnlyApprovedOutbound"
    vault = inputs(one(result, "keyvault:Vault"))["properties"]
    assert vault["enablePurgeProtection"] is True and vault["publicNetworkAccess"] == "Disabled"
    acr = inputs(one(result, "containerregistry:Registry"))
    assert acr["sku"] == {"name": "Premium"} and acr["publicNetworkAccess"] == "Disabled"
    assert acr["tags"]["environment"] == "prod" and acr["tags"]["project"] == "shared"
    assert all(inputs(r)["publicNetworkAccess"] == "Disabled" for r in by_type(result, "storage:StorageAccount"))
    for kind in (
        "machinelearningservices:Workspace",
        "StorageAccount",
        "keyvault:Vault",
        "containerregistry:Registry",
        "keyvault:Key",
        "machinelearningservices:Registry",
        "BlobContainer",
    ):
        assert all(r.protect for r in by_type(result, kind)), kind


def test_prod_shows_sharing_isolation_cmk_access_registry_datastore_environment_diagnostics_and_budget(stack_preview):
    result = projects_only(stack_preview("prod"))
    workspaces = {r.name: r for r in by_type(result, "machinelearningservices:Workspace")}
    assert set(workspaces) == {"churn-mlw", "fraud-mlw"}
    shared = {
        kind: one(result, kind)
        for kind in ("containerregistry:Registry", "keyvault:Vault", "applicationinsights:Component")
    }
    prop = {
        "containerregistry:Registry": "containerRegistry",
        "keyvault:Vault": "keyVault",
        "applicationinsights:Component": "applicationInsights",
    }
    for kind, reg in shared.items():
        assert "SharedWorkspaceResources" in reg.urn
        for ws in workspaces.values():  # both workspaces point at the one shared resource
            assert ws.property_dependencies[prop[kind]] == [reg.urn] or reg.urn in ws.property_dependencies[prop[kind]]
    for ws in workspaces.values():
        got = inputs(ws)
        assert got["encryption"]["status"] == "Enabled"
        assert (
            got["encryption"]["keyVaultProperties"]["keyVaultArmId"] == shared["keyvault:Vault"].id
        )  # the key lives in the shared vault
        # A workspace identity of its own as primaryUserAssignedIdentity (5f0c7d88), the CMK identity beside it, no
        # system-assigned one.
        assert got["identity"]["type"] == "UserAssigned"
        identities = {r.id: r for r in by_type(result, "managedidentity:UserAssignedIdentity")}
        assert identities[got["primaryUserAssignedIdentity"]].name == ws.name.removesuffix("-mlw") + "-mlw-id"
        assert got["encryption"]["identity"]["userAssignedIdentity"] != got["primaryUserAssignedIdentity"]
        assert set(got["identity"]["userAssignedIdentities"]) == {
            got["primaryUserAssignedIdentity"],
            got["encryption"]["identity"]["userAssignedIdentity"],
        }
    churn = inputs(workspaces["churn-mlw"])
    rule = churn["managedNetwork"]["outboundRules"]["datastore-churn_lake"]
    assert rule["type"] == "PrivateEndpoint" and rule["destination"]["subresourceTarget"] == "dfs"
    roles = [inputs(r) for r in by_type(result, "authorization:RoleAssignment")]
    groups = [r for r in roles if r["principalType"] == "Group"]
    assert {r["roleDefinitionId"].rsplit("/", 1)[1] for r in groups} >= {
        "f6c7c914-8db3-469d-8ca1-694a8f32e121",
        "e503ece1-11d0-4e8e-8e2c-7a6c3bf38815",
        "acdd72a7-3385-48ef-bd42-f606fba81ae7",
        "b24988ac-6180-42a0-ab88-20f7382dd24c",
        "1823dd4f-9b8c-4ab6-ab4e-7397a3684615",
    }
    builtin = [
        r
        for r in roles
        if r["roleDefinitionId"].rsplit("/", 1)[1]
        != inputs(one(result, "authorization:RoleDefinition"))["roleDefinitionId"]
    ]
    assert all(
        r["roleDefinitionId"].startswith(
            f"/subscriptions/{SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleDefinitions/"
        )
        for r in builtin
    )
    custom = inputs(one(result, "authorization:RoleDefinition"))
    assert "Microsoft.MachineLearningServices/workspaces/computes/*" in custom["permissions"][0]["actions"]
    registry = inputs(one(result, "machinelearningservices:Registry"))
    assert [d["location"] for d in registry["regionDetails"]] == ["westeurope", "northeurope"]
    datastore = inputs(one(result, "machinelearningservices:Datastore"))["properties"]
    assert datastore["datastoreType"] == "AzureDataLakeGen2" and datastore["credentials"] == {"credentialsType": "None"}
    lake = next(inputs(r) for r in by_type(result, "storage:StorageAccount") if "churn-lake" in r.name)
    assert lake["isHnsEnabled"] is True
    # The shared registry is closed: Azure ML builds the image on the workspace's compute, nothing is pushed from here.
    version = inputs(one(result, "machinelearningservices:EnvironmentVersion"))
    assert version["version"] == "1" and version["properties"]["build"]["contextUri"].startswith(
        "https://stmlbuildctxprod.blob."
    )
    assert by_type(result, "docker:index/image:Image") == [] and churn["imageBuildCompute"] == "cpu-train"
    diagnostics = by_type(result, "monitor:DiagnosticSetting")
    assert {d.name for d in diagnostics} >= {"churn-mlw-diag", "fraud-mlw-diag", "shared-keyvault-kv-diag"}
    budgets = {r.name: inputs(r) for r in by_type(result, "consumption:Budget")}
    assert set(budgets) == {"budget-churn-prod", "budget-fraud-prod"}
    assert budgets["budget-churn-prod"]["scope"].endswith("/resourceGroups/rg-churn-prod")
    assert set(budgets["budget-churn-prod"]["notifications"]) == {
        "actual-50",
        "actual-80",
        "actual-100",
        "forecasted-110",
    }


# Types whose ARM resource has no `tags`: sub-resources, role assignments, settings, budgets, images.
UNTAGGABLE = (
    "authorization:RoleAssignment",
    "authorization:RoleDefinition",
    "authorization:PolicyAssignment",
    "authorization:PolicyDefinition",
    "monitor:DiagnosticSetting",
    "storage:BlobContainer",
    "network:PrivateDnsZoneGroup",
    "machinelearningservices:Datastore",
    "machinelearningservices:EnvironmentContainer",
    "machinelearningservices:EnvironmentVersion",
    "consumption:Budget",
    "docker:index/image:Image",
    "storage:BlobServiceProperties",
    "storage:FileServiceProperties",
    "authorization:ManagementLockByScope",
)


def test_every_resource_carries_cost_allocation_tags(stack_preview):
    result = stack_preview("prod")
    taggable = [r for r in result.registrations if r.custom and not r.type.endswith(UNTAGGABLE)]
    assert len(taggable) >= 15
    for reg in taggable:
        tags = inputs(reg).get("tags", {})
        assert {"project", "environment", "owner"} <= set(tags), reg.urn


def test_several_workspaces_in_one_stack_get_their_own_resources():
    config = {**BASE, "workspaces": [{"project": "churn"}, {"project": "fraud", "containerRegistry": {}}]}
    result = preview_config(config)
    names = sorted(inputs(r)["workspaceName"] for r in by_type(result, "machinelearningservices:Workspace"))
    assert names == ["mlw-churn-qa", "mlw-fraud-qa"]
    assert len(by_type(result, "storage:StorageAccount")) == 2
    assert len(by_type(result, "containerregistry:Registry")) == 1


@pytest.mark.parametrize(
    "config, expected",
    [
        ({**BASE, "workspaces": [{"project": "churn", "storag": {}}]}, "amlws:workspaces[0].storag: unknown setting"),
        (
            {**BASE, "workspaces": [{"project": "churn", "storage": {"skuName": "Premium_LRS"}}]},
            "amlws:workspaces[0].storage = ",
        ),
        ({**BASE, "workspaces": [{"project": "churn", "storage": {"isHnsEnabled": True}}]}, "hierarchical namespace"),
        (
            {
                **BASE,
                "workspaces": [
                    {
                        "project": "churn",
                        "computeClusters": [
                            {"name": "c1", "vmSize": "Standard_DS3_v2", "maxNodeCount": 1, "minNodeCount": 2}
                        ],
                    }
                ],
            },
            "minNodeCount 2 is greater than maxNodeCount 1",
        ),
        (
            {
                **BASE,
                "workspaces": [
                    {
                        "project": "churn",
                        "computeInstances": [{"name": "ci1", "vmSize": "x", "idleTimeBeforeShutdown": "PT5M"}],
                    }
                ],
            },
            'computeInstances[0].idleTimeBeforeShutdown = "PT5M"',
        ),
        (
            {**BASE, "workspaces": [{"project": "churn", "computeInstances": [{"name": "ci1", "vmSize": "x"}]}]},
            "computeInstances[0].idleTimeBeforeShutdown: required setting is missing",
        ),
        (
            {**BASE, "workspaces": [{"project": "churn", "publicNetworkAccess": "Off"}]},
            "amlws:workspaces[0].publicNetworkAccess = \"Off\": Input should be 'Enabled' or 'Disabled'",
        ),
        ({**BASE, "workspaces": []}, "amlws:workspaces = []"),
        ({**BASE, "workspaces": [{"project": "churn"}, {"project": "churn"}]}, "one workspace per stack: churn"),
        (
            {"location": "westeurope", "workspaces": [{"project": "churn"}]},
            "amlws:environment: required setting is missing",
        ),
        (
            {**BASE, "workspaces": [{"project": "churn", "containerRegistry": {"publicNetworkAccess": "Disabled"}}]},
            "only a Premium registry",
        ),
    ],
)
def test_config_errors_name_the_stack_file_key_and_value(config, expected):
    with pytest.raises(PreviewError) as err:
        preview_config(config)
    assert "Pulumi.qa.yaml" in str(err.value)
    assert expected in str(err.value)
    assert err.value.registrations == []


def test_all_config_errors_are_reported_together():
    config = {**BASE, "workspaces": [{"project": "churn", "storage": {"kind": "BlobStorage"}, "hbiWorkspace": "maybe"}]}
    with pytest.raises(PreviewError) as err:
        preview_config(config)
    assert "BlobStorage" in str(err.value) and "hbiWorkspace" in str(err.value)


def test_a_bad_existing_storage_in_the_second_workspace_declares_nothing():
    bad = (
        "/subscriptions/00000000-0000-0000-0000-000000000000"
        "/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/adls"
    )
    fixtures = {bad: {"kind": "StorageV2", "sku": {"name": "Standard_LRS"}, "isHnsEnabled": True}}
    config = {**BASE, "workspaces": [{"project": "churn"}, {"project": "fraud", "storage": {"existingId": bad}}]}
    with pytest.raises(PreviewError) as err:
        preview_config(config, fixtures)
    assert f'amlws:workspaces[1].storage.existingId = "{bad}"' in str(err.value) and "(project fraud" in str(err.value)
    assert "hierarchical namespace" in str(err.value)
    assert err.value.registrations == []


def test_missing_stack_file_is_named(tmp_path):
    (tmp_path / "Pulumi.yaml").write_text("name: amlws\nruntime: python\n")
    with pytest.raises(PreviewError, match="Pulumi.nope.yaml: no such stack file"):
        preview_stack(tmp_path, "nope")


SHARED = {"containerRegistry": {"skuName": "Premium"}, "keyVault": {}, "monitoring": {}}


def test_shared_section_gives_several_workspaces_one_registry_vault_and_insights():
    config = {**BASE, "shared": SHARED, "workspaces": [{"project": "churn"}, {"project": "fraud"}]}
    result = preview_config(config)
    for kind in ("containerregistry:Registry", "keyvault:Vault", "applicationinsights:Component"):
        assert len(by_type(result, kind)) == 1, kind
    assert len(by_type(result, "storage:StorageAccount")) == 2  # storage only where asked
    group = next(inputs(r) for r in by_type(result, "resources:ResourceGroup") if r.name == "shared-rg")
    assert group["resourceGroupName"] == "rg-shared-qa" and group["tags"]["project"] == "shared"
    assert len(by_type(preview_config({**config, "shared": {**SHARED, "storage": {}}}), "storage:StorageAccount")) == 1


@pytest.mark.parametrize(
    "config, problem",
    [
        (
            {
                **BASE,
                "shared": SHARED,
                "workspaces": [{"project": "churn", "keyVault": {"enablePurgeProtection": False}}],
            },
            "workspaces[0].keyVault is set, but the stack shares one (amlws:shared.keyVault)",
        ),
        (
            {
                **BASE,
                "workspaces": [
                    {
                        "project": "churn",
                        "privateEndpoints": {
                            "subnetId": "/subscriptions/00000000-0000-0000-0000-000000000000"
                            "/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v/subnets/s"
                        },
                    }
                ],
            },
            "private endpoints need amlws:network.virtualNetworkId",
        ),
        ({**BASE, "tags": {"costCenter": "1"}}, 'amlws:tags = {"costCenter": "1"}: an owner tag is required'),
        (
            {**BASE, "workspaces": [{"project": "churn", "access": {"dataScientists": []}}]},
            "amlws:workspaces[0].access.dataScientists = []: list at least one",
        ),
        (
            {
                **BASE,
                "workspaces": [
                    {
                        "project": "churn",
                        "customerManagedKey": {"keyName": "k"},
                        "keyVault": {"enablePurgeProtection": False},
                    }
                ],
            },
            'amlws:workspaces[0].keyVault = "<new vault>": the key vault that '
            "holds a workspace's customer-managed key must have purge protection",
        ),
        (
            {
                **BASE,
                "workspaces": [
                    {
                        "project": "churn",
                        "budget": {"amount": 10, "startDate": "2026-12-02", "contactEmails": ["a@b.c"]},
                    }
                ],
            },
            "startDate 2026-12-02 must be the first day of a month",
        ),
        (
            {
                **BASE,
                "workspaces": [
                    {
                        "project": "churn",
                        "datastores": [
                            {
                                "name": "lake",
                                "containerName": "raw",
                                "datastoreType": "AzureDataLakeGen2",
                                "isHnsEnabled": False,
                            }
                        ],
                    }
                ],
            },
            "needs an account with a hierarchical namespace",
        ),
    ],
)
def test_enterprise_settings_are_refused_with_the_stack_file_and_key(config, problem):
    with pytest.raises(PreviewError) as err:
        preview_config(config)
    assert "Pulumi.qa.yaml" in str(err.value) and problem in str(err.value)
    assert err.value.registrations == []


def test_changing_hbi_on_a_deployed_workspace_is_refused_before_anything_is_declared():
    deployed = {
        "/subscriptions/00000000-0000-0000-0000-000000000000"
        "/resourceGroups/rg-churn-qa/providers/Microsoft.MachineLearningServices/workspaces/mlw-churn-qa": {
            "hbiWorkspace": False
        }
    }
    config = {**BASE, "workspaces": [{"project": "churn", "hbiWorkspace": True}]}
    with pytest.raises(PreviewError) as err:
        preview_config(config, deployed)
    assert "amlws:workspaces[0].hbiWorkspace = true" in str(
        err.value
    ) and "hbiWorkspace=False; Azure sets it only at creation" in str(err.value)
    assert err.value.registrations == []
    preview_config({**BASE, "workspaces": [{"project": "churn", "hbiWorkspace": False}]}, deployed)


def test_private_endpoints_use_the_stacks_dns_zones():
    vnet = (
        "/subscriptions/00000000-0000-0000-0000-000000000000"
        "/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet"
    )
    config = {
        **BASE,
        "network": {"virtualNetworkId": vnet},
        "workspaces": [
            {
                "project": "churn",
                "publicNetworkAccess": "Disabled",
                "privateEndpoints": {"subnetId": f"{vnet}/subnets/pe"},
            }
        ],
    }
    result = preview_config(config)
    zones = {inputs(r)["privateZoneName"]: r for r in by_type(result, "privatedns:PrivateZone")}
    groups = {r.name: r for r in by_type(result, "network:PrivateDnsZoneGroup")}
    assert (
        zones["privatelink.api.azureml.ms"].urn
        in groups["churn-pe-mlw-dns"].property_dependencies["privateDnsZoneConfigs"]
    )
    assert len(by_type(result, "network:PrivateEndpoint")) == 4  # workspace, blob, file, vault


EXISTING_VAULT = (
    "/subscriptions/00000000-0000-0000-0000-000000000000"
    "/resourceGroups/rg-sec/providers/Microsoft.KeyVault/vaults/kv-central"
)
EXISTING_ACR = (
    "/subscriptions/00000000-0000-0000-0000-000000000000"
    "/resourceGroups/rg-sec/providers/Microsoft.ContainerRegistry/registries/acrcentral"
)


def test_shared_section_can_share_existing_resources_looked_up_by_id():
    fixtures = {
        EXISTING_VAULT: {"properties": {"enablePurgeProtection": True, "enableSoftDelete": True}},
        EXISTING_ACR: {"loginServer": "acrcentral.azurecr.io"},
    }
    config = {
        **BASE,
        "shared": {"keyVault": {"existingId": EXISTING_VAULT}, "containerRegistry": {"existingId": EXISTING_ACR}},
        "workspaces": [{"project": "churn", "customerManagedKey": {"keyName": "cmk"}}, {"project": "fraud"}],
    }
    result = preview_config(config, fixtures)
    assert not by_type(result, "keyvault:Vault") and not by_type(
        result, "containerregistry:Registry"
    )  # used, not created
    for ws in map(inputs, by_type(result, "machinelearningservices:Workspace")):
        assert ws["keyVault"] == EXISTING_VAULT and ws["containerRegistry"] == EXISTING_ACR
    key = inputs(one(result, "keyvault:Key"))
    assert key["vaultName"] == "kv-central" and key["resourceGroupName"] == "rg-sec"


def test_a_shared_resource_that_does_not_exist_is_refused_through_the_stack():
    config = {**BASE, "shared": {"keyVault": {"existingId": EXISTING_VAULT}}}
    with pytest.raises(PreviewError) as err:
        preview_config(config, {EXISTING_VAULT: None})
    assert f'amlws:shared.keyVault.existingId = "{EXISTING_VAULT}": no such Microsoft.KeyVault/vaults exists' in str(
        err.value
    )
    assert err.value.registrations == []


def test_cmk_on_a_shared_existing_vault_without_purge_protection_is_refused():
    config = {
        **BASE,
        "shared": {"keyVault": {"existingId": EXISTING_VAULT}},
        "workspaces": [{"project": "churn", "customerManagedKey": {"keyName": "cmk"}}],
    }
    with pytest.raises(PreviewError) as err:
        preview_config(config, {EXISTING_VAULT: {"properties": {"enableSoftDelete": True}}})
    assert (
        "amlws:workspaces[0].keyVault = " in str(err.value)
        and "(project churn" in str(err.value)
        and "purge protection" in str(err.value)
    )


def test_shared_resources_get_their_own_private_endpoints():
    vnet = (
        "/subscriptions/00000000-0000-0000-0000-000000000000"
        "/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet"
    )
    config = {
        **BASE,
        "network": {"virtualNetworkId": vnet},
        "shared": {
            "containerRegistry": {"skuName": "Premium"},
            "keyVault": {},
            "privateEndpoints": {"subnetId": f"{vnet}/subnets/shared"},
        },
        "workspaces": [{"project": "churn", "privateEndpoints": {"subnetId": f"{vnet}/subnets/pe"}}],
    }
    result = preview_config(config)
    endpoints = {r.name: inputs(r) for r in by_type(result, "network:PrivateEndpoint")}
    assert {"shared-pe-acr", "shared-pe-kv"} <= set(endpoints) and endpoints["shared-pe-acr"]["subnet"]["id"].endswith(
        "/subnets/shared"
    )
    assert {"churn-pe-mlw", "churn-pe-st-blob", "churn-pe-st-file"} <= set(endpoints)
    assert "churn-pe-kv" not in endpoints  # the workspace does not own the shared vault
    ws = inputs(one(result, "machinelearningservices:Workspace"))
    assert ws["publicNetworkAccess"] == "Disabled"  # isolated by private endpoints: off by default


def test_a_basic_shared_registry_is_fine_when_only_the_workspace_has_private_endpoints_but_not_for_its_own():
    vnet = (
        "/subscriptions/00000000-0000-0000-0000-000000000000"
        "/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet"
    )
    config = {
        **BASE,
        "network": {"virtualNetworkId": vnet},
        "shared": {"containerRegistry": {}},
        "workspaces": [{"project": "churn", "privateEndpoints": {"subnetId": f"{vnet}/subnets/pe"}}],
    }
    preview_config(config)
    with pytest.raises(PreviewError, match="private endpoints need a Premium registry"):
        preview_config(
            {**config, "shared": {"containerRegistry": {}, "privateEndpoints": {"subnetId": f"{vnet}/subnets/shared"}}}
        )


@pytest.mark.parametrize(("written", "sent"), [({}, "Disabled"), ({"publicNetworkAccess": "Enabled"}, "Enabled")])
def test_a_shared_ml_registry_is_closed_unless_the_stack_file_opens_it(written, sent):
    """Secure by default (components/defaults.py ML_REGISTRY_PUBLIC_NETWORK_ACCESS): open is written down."""
    result = preview_config({**BASE, "shared": {"mlRegistry": {"registryName": "mlreg-qa", **written}}})
    assert inputs(one(result, "machinelearningservices:Registry"))["publicNetworkAccess"] == sent
