"""Access, isolation, encryption, sharing and cost: the inputs each feature declares, and its refusals."""

import pytest

from amlws.components import (
    ComponentInputError,
    MachineLearningWorkspace,
    PrivateDnsZones,
    SharedWorkspaceResources,
    WorkspaceStorage,
    monthly_budget,
    validate_budget,
)
from amlws.mocks import SUBSCRIPTION_ID, ArmMocks
from amlws.preview import PreviewError, run_program
from harness import ROOT, by_type, inputs, one, run, storage_fixture

GROUP = "3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"
OTHER = "8c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f"
ROLE_PREFIX = f"/subscriptions/{SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleDefinitions/"
WS_ID = (
    f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/mlw-w"
)
VNET = f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet"
SUBNET = f"{VNET}/subnets/endpoints"


def workspace(**overrides):
    args = {"resource_group_name": "rg", "location": "westeurope", "workspace_name": "mlw-w", "tags": {"project": "p"}}
    args.update(overrides)
    return lambda: MachineLearningWorkspace("w", args)


# Access ------------------------------------------------------------------------------------------


def test_groups_get_builtin_roles_at_the_workspace_scope_for_this_subscription():
    # With a registry image builds are allowed, so data scientists keep the built-in role (tests/test_self_serve.py
    # covers the other way).
    access = {"data_scientists": [GROUP], "compute_operators": [OTHER], "readers": [GROUP], "admins": [OTHER]}
    result = run(workspace(access=access, container_registry={"tags": {"project": "p"}}))
    groups = [
        inputs(r) for r in by_type(result, "authorization:RoleAssignment") if inputs(r)["principalType"] == "Group"
    ]
    assert {(g["principalId"], g["roleDefinitionId"]) for g in groups} == {
        (GROUP, ROLE_PREFIX + "f6c7c914-8db3-469d-8ca1-694a8f32e121"),
        (OTHER, ROLE_PREFIX + "e503ece1-11d0-4e8e-8e2c-7a6c3bf38815"),
        (GROUP, ROLE_PREFIX + "acdd72a7-3385-48ef-bd42-f606fba81ae7"),
        (OTHER, ROLE_PREFIX + "b24988ac-6180-42a0-ab88-20f7382dd24c"),
    }
    assert all(g["scope"] == WS_ID for g in groups)
    assert len({g["roleAssignmentName"] for g in groups}) == 4  # stable, distinct GUID names


def test_role_assignment_names_are_stable_across_runs():
    names = [
        sorted(
            inputs(r)["roleAssignmentName"]
            for r in by_type(run(workspace(access={"readers": [GROUP]})), "RoleAssignment")
        )
        for _ in range(2)
    ]
    assert names[0] == names[1]


def test_custom_role_from_the_docs_example_is_defined_and_assigned():
    role = {
        "role_name": "it-operations",
        "description": "IT operations may create compute targets and datastores.",
        "actions": [
            "Microsoft.MachineLearningServices/workspaces/computes/*",
            "Microsoft.MachineLearningServices/workspaces/datastores/*",
        ],
        "group_object_ids": [OTHER],
    }
    result = run(workspace(access={"custom_roles": [role]}))
    definition = one(result, "authorization:RoleDefinition")
    got = inputs(definition)
    assert got["roleName"] == "it-operations" and got["assignableScopes"] == [WS_ID] and got["roleType"] == "CustomRole"
    assert got["permissions"][0]["actions"] == role["actions"]
    [assignment] = [r for r in by_type(result, "RoleAssignment") if inputs(r)["principalId"] == OTHER]
    assert assignment.property_dependencies["roleDefinitionId"] == [definition.urn]


@pytest.mark.parametrize(
    "access, setting",
    [
        ({"data_scientists": []}, "access.data_scientists"),
        ({"readers": ["not-a-guid"]}, "access.readers"),
        (
            {"custom_roles": [{"role_name": "r", "actions": ["a"], "group_object_ids": []}]},
            "access.custom_roles[0].group_object_ids",
        ),
        ({"custom_roles": [{"role_name": "r", "group_object_ids": [GROUP]}]}, "access.custom_roles[0].actions"),
        ({"owners": [GROUP]}, "access.owners"),
    ],
)
def test_missing_or_malformed_group_ids_are_refused(access, setting):
    with pytest.raises(ComponentInputError, match=rf"{setting.replace('[', '.').replace(']', '.')}="):
        run(workspace(access=access))


def test_system_assigned_identity_gets_no_second_copy_of_the_grants_azure_ml_makes():
    """Azure ML grants its system-assigned identity its roles on storage, vault and registry at creation
    ("Role assignment creation: Managed by Microsoft"); a second copy fails with 409 RoleAssignmentExists."""
    result = run(workspace(container_registry={"tags": {"project": "p"}}))
    ws = one(result, "machinelearningservices:Workspace")
    principal = ws.outputs["identity"]["principalId"]
    assert [r.name for r in by_type(result, "RoleAssignment") if inputs(r)["principalId"] == principal] == []
    assert inputs(ws)["systemDatastoresAuthMode"] == "identity"


def test_a_primary_user_assigned_identity_gets_the_documented_grants_before_the_workspace():
    uai = (
        f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/rg"
        "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id"
    )
    principal = "11111111-2222-4333-8444-555555555555"
    result = run(
        workspace(
            identity_type="UserAssigned",
            user_assigned_identity_ids=[uai],
            primary_user_assigned_identity=uai,
            container_registry={"tags": {"project": "p"}},
        ),
        {uai: {"principalId": principal}},
    )
    ws = one(result, "machinelearningservices:Workspace")
    grants = {r.name: r for r in by_type(result, "RoleAssignment") if inputs(r)["principalId"] == principal}
    contributor, blob, kv_admin = (
        "b24988ac-6180-42a0-ab88-20f7382dd24c",
        "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
        "00482a5a-887f-4fb3-b363-3b7fe8e74483",
    )
    expected = {
        "w-identity-storage-contributor": (contributor, "/storageAccounts/"),
        "w-identity-storage-blob-data": (blob, "/storageAccounts/"),
        "w-identity-keyvault-contributor": (contributor, "/vaults/"),
        "w-identity-keyvault-admin": (kv_admin, "/vaults/"),
        "w-identity-acr-contributor": (contributor, "/registries/"),
        "w-identity-appi-contributor": (contributor, "/components/"),
        "w-identity-workspace-contributor": (contributor, "/workspaces/mlw-w"),
    }
    assert set(grants) == set(expected)
    for name, (guid, scope) in expected.items():
        got = inputs(grants[name])
        assert (
            got["roleDefinitionId"] == ROLE_PREFIX + guid
            and scope in got["scope"]
            and got["principalType"] == "ServicePrincipal"
        )
        if name != "w-identity-workspace-contributor":  # Azure ML reaches its resources with the identity at creation
            assert grants[name].urn in ws.dependencies


def test_a_missing_primary_user_assigned_identity_is_refused_before_anything_is_declared():
    uai = (
        f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/rg"
        "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/gone"
    )
    with pytest.raises(ComponentInputError, match="primary_user_assigned_identity=.*no such"):
        run(
            workspace(
                identity_type="UserAssigned", user_assigned_identity_ids=[uai], primary_user_assigned_identity=uai
            ),
            {uai: None},
        )


# Isolation and encryption ------------------------------------------------------------------------


def test_customer_managed_key_uses_a_user_assigned_identity_with_crypto_rights():
    result = run(workspace(customer_managed_key={"key_name": "cmk-w"}))
    ws = one(result, "machinelearningservices:Workspace")
    got = inputs(ws)
    identity = one(result, "managedidentity:UserAssignedIdentity")
    key = one(result, "keyvault:Key")
    vault = one(result, "keyvault:Vault")
    assert got["encryption"]["status"] == "Enabled"
    assert got["encryption"]["identity"]["userAssignedIdentity"] == identity.id
    assert got["encryption"]["keyVaultProperties"]["keyVaultArmId"] == vault.id
    assert got["encryption"]["keyVaultProperties"]["keyIdentifier"] == key.outputs["keyUriWithVersion"]
    assert (
        got["identity"]["type"] == "SystemAssigned,UserAssigned"
        and identity.id in got["identity"]["userAssignedIdentities"]
    )
    assert inputs(key)["properties"]["kty"] == "RSA" and inputs(key)["properties"]["keySize"] == 3072
    grant = next(inputs(r) for r in by_type(result, "RoleAssignment") if r.name == "w-cmk-crypto")
    assert grant["roleDefinitionId"].endswith("e147488a-f6f5-4113-8e2d-b22465e65bf6") and grant["scope"] == vault.id
    assert any(d.endswith("::w-cmk-crypto") for d in ws.dependencies)  # the grant exists before the workspace


def test_customer_managed_key_needs_purge_protection():
    with pytest.raises(ComponentInputError, match="key_vault=.*must have purge protection enabled"):
        run(workspace(customer_managed_key={"key_name": "k"}, key_vault={"enable_purge_protection": False}))


def test_customer_managed_key_in_an_existing_vault_is_checked_after_lookup():
    vault_id = f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/rg-sec/providers/Microsoft.KeyVault/vaults/kvcmk"
    unprotected = {vault_id: {"properties": {"enableSoftDelete": True}}}
    with pytest.raises(ComponentInputError, match="kvcmk.*purge protection"):
        run(workspace(customer_managed_key={"key_name": "k"}, key_vault={"existing_id": vault_id}), unprotected)
    protected = {vault_id: {"properties": {"enableSoftDelete": True, "enablePurgeProtection": True}}}
    key = inputs(
        one(
            run(workspace(customer_managed_key={"key_name": "k"}, key_vault={"existing_id": vault_id}), protected),
            "keyvault:Key",
        )
    )
    assert key["vaultName"] == "kvcmk" and key["resourceGroupName"] == "rg-sec"


def deployed(hbi: bool, cmk: bool) -> dict:
    body: dict = {"hbiWorkspace": hbi}
    if cmk:
        body["encryption"] = {"status": "Enabled", "keyVaultProperties": {"keyIdentifier": "k", "keyVaultArmId": "v"}}
    return {WS_ID: body}


def test_changing_hbi_after_creation_is_refused():
    with pytest.raises(
        ComponentInputError,
        match=r"hbi_workspace=True: the deployed workspace mlw-w has "
        r"hbiWorkspace=False; Azure sets it only at creation",
    ):
        run(workspace(hbi_workspace=True), deployed(hbi=False, cmk=False))


def test_adding_or_removing_cmk_after_creation_is_refused():
    with pytest.raises(ComponentInputError, match="customer_managed_key=.*does not use a customer-managed key"):
        run(workspace(customer_managed_key={"key_name": "k"}), deployed(hbi=False, cmk=False))
    with pytest.raises(
        ComponentInputError, match="customer_managed_key=None: the deployed workspace mlw-w uses a customer-managed key"
    ):
        run(workspace(), deployed(hbi=False, cmk=True))


def test_unchanged_immutable_settings_and_new_workspaces_pass():
    run(workspace(hbi_workspace=True, customer_managed_key={"key_name": "k"}), deployed(hbi=True, cmk=True))
    run(workspace(hbi_workspace=True))  # not deployed: the fixture file does not describe it


def test_diagnostic_settings_send_workspace_vault_and_storage_logs_to_log_analytics():
    result = run(workspace())
    law = one(result, "operationalinsights:Workspace")
    settings = {r.name: (r, inputs(r)) for r in by_type(result, "monitor:DiagnosticSetting")}
    assert set(settings) == {"w-mlw-diag", "w-keyvault-kv-diag", "w-storage-blob-diag", "w-storage-file-diag"}
    for reg, got in settings.values():
        assert got["workspaceId"] == law.id and reg.property_dependencies["workspaceId"] == [law.urn]
        assert got["logs"] == [{"categoryGroup": "allLogs", "enabled": True}]
    assert settings["w-storage-blob-diag"][1]["resourceUri"].endswith("/blobServices/default")
    assert settings["w-mlw-diag"][1]["resourceUri"] == WS_ID


def test_diagnostics_can_be_turned_off_and_need_a_log_analytics_workspace():
    assert not by_type(run(workspace(diagnostics=False)), "DiagnosticSetting")
    ai = f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/rg/providers/Microsoft.Insights/components/ai"
    with pytest.raises(ComponentInputError, match="diagnostics=True: needs a Log Analytics workspace"):
        run(workspace(diagnostics=True, monitoring={"existing_application_insights_id": ai}), {ai: {}})


def zones():
    from amlws.components.network import ALL_ZONES

    return {
        z: f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/rg-net/providers/Microsoft.Network/privateDnsZones/{z}"
        for z in ALL_ZONES
    }


def test_private_endpoints_for_workspace_storage_vault_and_registry_with_dns_records():
    result = run(
        workspace(
            public_network_access="Disabled",
            container_registry={"sku_name": "Premium", "public_network_access": "Disabled", "tags": {"p": "p"}},
            private_endpoints={"subnet_id": SUBNET, "private_dns_zone_ids": zones()},
        )
    )
    endpoints = {r.name: inputs(r) for r in by_type(result, "network:PrivateEndpoint")}
    groups = {name: e["privateLinkServiceConnections"][0]["groupIds"] for name, e in endpoints.items()}
    assert groups == {
        "w-pe-mlw": ["amlworkspace"],
        "w-pe-st-blob": ["blob"],
        "w-pe-st-file": ["file"],
        "w-pe-kv": ["vault"],
        "w-pe-acr": ["registry"],
    }
    assert all(e["subnet"]["id"] == SUBNET for e in endpoints.values())
    dns = {r.name: inputs(r) for r in by_type(result, "network:PrivateDnsZoneGroup")}
    ws_zones = [c["privateDnsZoneId"].rsplit("/", 1)[1] for c in dns["w-pe-mlw-dns"]["privateDnsZoneConfigs"]]
    assert ws_zones == ["privatelink.api.azureml.ms", "privatelink.notebooks.azure.net"]


@pytest.mark.parametrize(
    "overrides, match",
    [
        (
            {"private_endpoints": {"subnet_id": VNET, "private_dns_zone_ids": {}}},
            "private_endpoints.subnet_id=.*not an ARM ID of a Microsoft.Network/virtualNetworks/subnets",
        ),
        (
            {"private_endpoints": {"subnet_id": SUBNET, "private_dns_zone_ids": {}}},
            "missing zones privatelink.api.azureml.ms",
        ),
        (
            {
                "private_endpoints": {"subnet_id": SUBNET, "private_dns_zone_ids": zones()},
                "container_registry": {"tags": {"p": "p"}},
            },
            "private endpoints need a Premium registry",
        ),
        (
            {
                "managed_network_isolation_mode": "Disabled",
                "managed_network_outbound_rules": {"pypi": {"type": "FQDN", "destination": "pypi.org"}},
            },
            "outbound rules need a managed network",
        ),
        (
            {
                "managed_network_isolation_mode": "AllowInternetOutbound",
                "managed_network_outbound_rules": {"pypi": {"type": "FQDN", "destination": "pypi.org"}},
            },
            "FQDN rules exist only with AllowOnlyApprovedOutbound",
        ),
        (
            {
                "managed_network_isolation_mode": "AllowOnlyApprovedOutbound",
                "managed_network_outbound_rules": {"x": {"type": "PrivateEndpoint"}},
            },
            "service_resource_id=None: required for a PrivateEndpoint rule",
        ),
    ],
)
def test_network_settings_azure_would_refuse_are_refused(overrides, match):
    with pytest.raises(ComponentInputError, match=match):
        run(workspace(**overrides))


def test_outbound_rules_are_sent_as_managed_network_rules():
    rules = {
        "pypi": {"type": "FQDN", "destination": "pypi.org"},
        "monitor": {"type": "ServiceTag", "service_tag": "AzureMonitor"},
    }
    got = inputs(
        one(
            run(
                workspace(
                    managed_network_isolation_mode="AllowOnlyApprovedOutbound", managed_network_outbound_rules=rules
                )
            ),
            "machinelearningservices:Workspace",
        )
    )
    sent = got["managedNetwork"]["outboundRules"]
    assert sent["pypi"] == {"type": "FQDN", "category": "UserDefined", "destination": "pypi.org"}
    assert sent["monitor"]["destination"] == {
        "serviceTag": "AzureMonitor",
        "protocol": "TCP",
        "portRanges": "443",
        "action": "Allow",
    }


def test_private_dns_zones_are_linked_to_the_virtual_network():
    result = run(lambda: PrivateDnsZones("dns", {"resource_group_name": "rg-net", "virtual_network_id": VNET}))
    assert len(by_type(result, "privatedns:PrivateZone")) == 7
    assert all(
        inputs(r)["virtualNetwork"] == {"id": VNET} and inputs(r)["registrationEnabled"] is False
        for r in by_type(result, "VirtualNetworkLink")
    )
    with pytest.raises(ComponentInputError, match="virtual_network_id"):
        run(lambda: PrivateDnsZones("dns", {"resource_group_name": "rg-net", "virtual_network_id": SUBNET}))


# Sharing -----------------------------------------------------------------------------------------


def test_two_workspaces_share_one_registry_vault_and_monitoring():
    def program():
        shared = SharedWorkspaceResources(
            "shared",
            {
                "resource_group_name": "rg-shared",
                "tags": {"project": "shared"},
                "container_registry": {},
                "key_vault": {},
                "monitoring": {},
            },
        )
        for project in ("a", "b"):
            MachineLearningWorkspace(
                project,
                {
                    "resource_group_name": f"rg-{project}",
                    "tags": {"project": project},
                    "container_registry": {"existing_id": shared.registry.id},
                    "key_vault": {"existing_id": shared.vault.id},
                    "monitoring": {
                        "existing_application_insights_id": shared.monitor.application_insights_id,
                        "existing_log_analytics_workspace_id": shared.monitor.log_analytics_workspace_id,
                    },
                },
            )

    result = run(program)
    for kind in (
        "containerregistry:Registry",
        "keyvault:Vault",
        "applicationinsights:Component",
        "operationalinsights:Workspace",
    ):
        assert len(by_type(result, kind)) == 1, kind
    assert len(by_type(result, "storage:StorageAccount")) == 2  # storage is not shared unless asked
    vault = one(result, "keyvault:Vault")
    for ws in by_type(result, "machinelearningservices:Workspace"):
        assert ws.property_dependencies["keyVault"] == [vault.urn]
    # Azure ML grants each workspace's system-assigned identity its role on the shared vault itself
    assert [r for r in by_type(result, "RoleAssignment") if r.name.endswith("identity-keyvault-admin")] == []


def test_shared_storage_is_held_to_the_workspace_storage_rules():
    with pytest.raises(ComponentInputError, match="premium"):
        run(
            lambda: SharedWorkspaceResources(
                "shared", {"resource_group_name": "rg", "storage": {"sku_name": "Premium_LRS"}}
            )
        )


def test_an_output_that_is_not_a_storage_id_fails_the_run_before_the_workspace():
    def program():
        other = WorkspaceStorage("elsewhere", {"resource_group_name": "rg"})
        MachineLearningWorkspace("w", {"resource_group_name": "rg", "storage": {"existing_id": other.account_name}})

    with pytest.raises(PreviewError) as err:
        run_program(program, "amlws", "test", {}, [], ArmMocks())
    assert isinstance(err.value.cause, ComponentInputError)
    assert "is not an ARM ID of a Microsoft.Storage/storageAccounts" in str(err.value.cause)
    assert not [r for r in err.value.registrations if r.type.endswith("machinelearningservices:Workspace")]


@pytest.mark.parametrize(
    "section, resource_id",
    [
        (
            "key_vault",
            f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/rg-shared/providers/Microsoft.KeyVault/vaults/kvgone",
        ),
        (
            "container_registry",
            f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/rg-shared/providers/Microsoft.ContainerRegistry/registries/acrgone",
        ),
        (
            "storage",
            f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/rg-shared/providers/Microsoft.Storage/storageAccounts/stgone",
        ),
    ],
)
def test_a_shared_resource_that_does_not_exist_is_refused_by_setting(section, resource_id):
    with pytest.raises(ComponentInputError, match=rf"{section}.existing_id='{resource_id}': no such .* exists"):
        run(workspace(**{section: {"existing_id": resource_id}}), {resource_id: None})


def test_azure_ml_registry_replicates_and_grants_registry_users():
    result = run(
        lambda: SharedWorkspaceResources(
            "shared",
            {
                "resource_group_name": "rg",
                "location": "westeurope",
                "tags": {"project": "shared"},
                "ml_registry": {
                    "registry_name": "mlreg",
                    "locations": ["westeurope", "northeurope"],
                    "user_group_object_ids": [GROUP],
                },
            },
        )
    )
    registry = inputs(one(result, "machinelearningservices:Registry"))
    assert [r["location"] for r in registry["regionDetails"]] == ["westeurope", "northeurope"]
    assert (
        registry["regionDetails"][0]["storageAccountDetails"][0]["systemCreatedStorageAccount"][
            "storageAccountHnsEnabled"
        ]
        is False
    )
    [grant] = [inputs(r) for r in by_type(result, "RoleAssignment")]
    assert grant["roleDefinitionId"].endswith("1823dd4f-9b8c-4ab6-ab4e-7397a3684615") and grant["principalId"] == GROUP
    with pytest.raises(ComponentInputError, match="ml_registry.user_group_object_ids"):
        run(
            lambda: SharedWorkspaceResources(
                "shared",
                {
                    "resource_group_name": "rg",
                    "ml_registry": {"registry_name": "mlreg", "user_group_object_ids": ["x"]},
                },
            )
        )


# Datastores ----------------------------------------------------------------------------------------


def test_hns_account_as_an_identity_based_adls_datastore():
    result = run(
        workspace(
            datastores=[
                {
                    "name": "lake",
                    "datastore_type": "AzureDataLakeGen2",
                    "container_name": "curated",
                    "sku_name": "Premium_LRS",
                    "kind": "BlockBlobStorage",
                }
            ]
        )
    )
    accounts = {r.name: inputs(r) for r in by_type(result, "storage:StorageAccount")}
    assert accounts["w-lake-st"]["isHnsEnabled"] is True and accounts["w-lake-st"]["sku"] == {"name": "Premium_LRS"}
    assert accounts["w-storage-st"]["isHnsEnabled"] is False  # the workspace's own storage stays flat
    props = inputs(one(result, "machinelearningservices:Datastore"))["properties"]
    assert props["datastoreType"] == "AzureDataLakeGen2" and props["filesystem"] == "curated"
    assert (
        props["credentials"] == {"credentialsType": "None"}
        and props["serviceDataAccessAuthIdentity"] == "WorkspaceSystemAssignedIdentity"
    )
    grant = next(inputs(r) for r in by_type(result, "RoleAssignment") if r.name == "w-lake-blob-data")
    lake = next(r for r in by_type(result, "storage:StorageAccount") if r.name == "w-lake-st")
    assert grant["roleDefinitionId"].endswith("ba92f5b4-2d11-453d-a403-e96b0029c9fe") and grant["scope"] == lake.id


def test_existing_hns_account_is_accepted_as_datastore_but_refused_as_workspace_storage():
    fixtures = storage_fixture("adls", "StorageV2", "Standard_LRS", True)
    [adls_id] = fixtures
    result = run(
        workspace(
            datastores=[
                {
                    "name": "lake",
                    "datastore_type": "AzureDataLakeGen2",
                    "container_name": "raw",
                    "existing_storage_id": adls_id,
                }
            ]
        ),
        fixtures,
    )
    assert inputs(one(result, "Datastore"))["properties"]["accountName"] == "adls"
    assert not [r for r in by_type(result, "BlobContainer")]  # an existing account's container is the user's
    with pytest.raises(ComponentInputError, match="hierarchical namespace"):
        run(workspace(storage={"existing_id": adls_id}), fixtures)


def test_datastore_account_gets_a_private_endpoint_outbound_rule_under_approved_outbound():
    result = run(
        workspace(
            managed_network_isolation_mode="AllowOnlyApprovedOutbound",
            datastores=[{"name": "lake", "datastore_type": "AzureDataLakeGen2", "container_name": "curated"}],
        )
    )
    rule = inputs(one(result, "machinelearningservices:Workspace"))["managedNetwork"]["outboundRules"]["datastore-lake"]
    assert rule["type"] == "PrivateEndpoint" and rule["destination"]["subresourceTarget"] == "dfs"
    lake = next(r for r in by_type(result, "storage:StorageAccount") if r.name == "w-lake-st")
    assert rule["destination"]["serviceResourceId"] == lake.id


@pytest.mark.parametrize(
    "datastore, fixtures, match",
    [
        (
            {"name": "lake", "datastore_type": "AzureDataLakeGen2", "container_name": "raw", "is_hns_enabled": False},
            {},
            "needs an account with a hierarchical namespace",
        ),
        ({"name": "bad-name", "container_name": "raw"}, {}, r"datastores\[0\].name"),
        ({"name": "workspaceblobstore", "container_name": "raw"}, {}, "system datastore name"),
        ({"name": "d", "container_name": "Raw_Data"}, {}, r"datastores\[0\].container_name"),
        ({"name": "d", "container_name": "raw", "kind": "FileStorage"}, {}, "serves no blobs"),
        (
            {
                "name": "d",
                "container_name": "raw",
                "existing_storage_id": (
                    f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/gone"
                ),
            },
            {
                f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/rg"
                "/providers/Microsoft.Storage/storageAccounts/gone": None
            },
            "no such Microsoft.Storage/storageAccounts exists",
        ),
    ],
)
def test_datastore_rules_are_refused_before_anything_is_declared(datastore, fixtures, match):
    with pytest.raises(ComponentInputError, match=match):
        run(workspace(datastores=[datastore]), fixtures)


# Custom environment --------------------------------------------------------------------------------


def test_custom_environment_image_is_pushed_with_identity_credentials_and_registered(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = run(
        workspace(
            container_registry={"tags": {"p": "p"}},
            environments=[
                {"name": "train", "version": "3", "docker_context": "environments/training", "description": "d"}
            ],
        )
    )
    image = one(result, "docker:index/image:Image")
    got = inputs(image)
    registry = one(result, "containerregistry:Registry")
    server = registry.outputs["loginServer"]
    assert got["imageName"] == f"{server}/train:3"
    assert got["registry"]["server"] == server and got["registry"]["username"] == "00000000-0000-0000-0000-000000000000"
    assert got["registry"]["password"] == "[secret]"  # never the admin user's password, never in clear
    assert got["build"]["platform"] == "linux/amd64" and got["build"]["dockerfile"].endswith(
        "environments/training/Dockerfile"
    )
    version = one(result, "machinelearningservices:EnvironmentVersion")
    assert inputs(version)["properties"]["image"] == f"{server}/train:3" and inputs(version)["version"] == "3"
    assert inputs(one(result, "EnvironmentContainer"))["name"] == "train"


@pytest.mark.parametrize(
    "overrides, match",
    [
        (
            {"environments": [{"name": "t", "version": "1", "docker_context": "environments/training"}]},
            "needs the workspace's container_registry",
        ),
        (
            {
                "container_registry": {"tags": {"p": "p"}},
                "environments": [{"name": "t", "version": "1", "docker_context": "nowhere"}],
            },
            "docker_context='nowhere': no such directory",
        ),
        (
            {
                "container_registry": {"tags": {"p": "p"}},
                "environments": [
                    {"name": "t", "version": "1", "docker_context": "environments", "dockerfile": "Dockerfile"}
                ],
            },
            "dockerfile='Dockerfile': no such file",
        ),
        (
            {
                "container_registry": {"tags": {"p": "p"}},
                "environments": [{"name": "t", "version": "1 beta", "docker_context": "environments/training"}],
            },
            r"environments\[0\].version",
        ),
    ],
)
def test_environment_settings_are_checked_before_building(monkeypatch, overrides, match):
    monkeypatch.chdir(ROOT)
    with pytest.raises(ComponentInputError, match=match):
        run(workspace(**overrides))


# Cost -----------------------------------------------------------------------------------------------


def test_monthly_budget_with_actual_and_forecast_alerts():
    budget = {
        "amount": 500,
        "start_date": "2026-12-01",
        "thresholds": [80, 100],
        "forecast_thresholds": [110],
        "contact_emails": ["a@b.c"],
    }
    got = inputs(
        one(run(lambda: monthly_budget("b", budget, scope="/subscriptions/s/resourceGroups/rg")), "consumption:Budget")
    )
    assert (
        got["timeGrain"] == "Monthly"
        and got["amount"] == 500
        and got["timePeriod"] == {"startDate": "2026-12-01T00:00:00Z"}
    )
    assert got["notifications"]["forecasted-110"]["thresholdType"] == "Forecasted"
    assert got["notifications"]["actual-80"] == {
        "enabled": True,
        "operator": "GreaterThanOrEqualTo",
        "threshold": 80,
        "thresholdType": "Actual",
        "contactEmails": ["a@b.c"],
    }


@pytest.mark.parametrize(
    "budget, match",
    [
        ({"amount": 0, "start_date": "2026-12-01", "contact_emails": ["a@b.c"]}, "greater than 0"),
        ({"amount": 1, "start_date": "2026-12-15", "contact_emails": ["a@b.c"]}, "first day of a month"),
        ({"amount": 1, "start_date": "2026-12-01", "contact_emails": []}, "contact email"),
        (
            {"amount": 1, "start_date": "2026-12-01", "contact_emails": ["a"], "thresholds": [10, 20, 30, 40, 50, 60]},
            "at most 5",
        ),
    ],
)
def test_budget_rules(budget, match):
    with pytest.raises(ComponentInputError, match=match):
        validate_budget("MachineLearningWorkspace", budget)


def test_public_network_access_is_off_by_default_isolated_or_not():
    def access(**overrides):
        return inputs(one(run(workspace(**overrides)), "machinelearningservices:Workspace"))["publicNetworkAccess"]

    assert access() == "Disabled"  # secure by default, as AVM's (issue 19, finding 5)
    assert access(managed_network_isolation_mode="Disabled") == "Disabled"
    assert access(managed_network_isolation_mode="Disabled", public_network_access="Enabled") == "Enabled"
    assert access(managed_network_isolation_mode="AllowOnlyApprovedOutbound") == "Disabled"
    assert access(private_endpoints={"subnet_id": SUBNET, "private_dns_zone_ids": zones()}) == "Disabled"
    assert access(managed_network_isolation_mode="AllowInternetOutbound", public_network_access="Enabled") == "Enabled"


def test_acr_token_exchange_posts_the_documented_form(monkeypatch):
    """The AAD-to-ACR exchange (az acr login --expose-token's flow); the network call itself is not made here."""
    import io
    import urllib.parse

    from amlws.components import environment

    seen = {}

    def fake_urlopen(request, timeout):
        seen["url"], seen["method"], seen["body"] = (
            request.full_url,
            request.get_method(),
            urllib.parse.parse_qs(request.data.decode()),
        )
        return io.BytesIO(b'{"refresh_token": "acr-refresh"}')

    monkeypatch.setattr(environment.urllib.request, "urlopen", fake_urlopen)
    assert environment.exchange_for_acr_refresh_token("acr.azurecr.io", "tenant", "aad-token") == "acr-refresh"
    assert seen["url"] == "https://acr.azurecr.io/oauth2/exchange" and seen["method"] == "POST"
    assert seen["body"] == {
        "grant_type": ["access_token"],
        "service": ["acr.azurecr.io"],
        "tenant": ["tenant"],
        "access_token": ["aad-token"],
    }
