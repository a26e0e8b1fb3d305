"""AVM's standard interfaces on the workspace (issue 22 items 1, 3, 4): `role_assignments` on the workspace and on
each associated resource it creates, `customer_managed_key.user_assigned_identity_resource_id`, and
`private_endpoints.private_dns_zone_resource_ids`; each previewed to the ARM inputs AVM sends for the same scenario.

Sources: Azure/bicep-registry-modules avm/res/machine-learning-services/workspace/main.bicep (`builtInRoleNames`,
`formattedRoleAssignments`, `workspace_roleAssignments`: name `guid(workspace.id, principalId, roleDefinitionId)`,
conditionVersion '2.0' only with a condition; `formattedUserAssignedIdentities`: the union of the identities and the
key's; `encryption.identity.userAssignedIdentity`) and its tests/e2e max (Owner by name, Contributor by GUID, Reader
by full role definition ID for a managed identity) and encr (the key unwrapped by an existing identity, which is
also the primary one); the authorization spec 2022-04-01 RoleAssignmentProperties ("conditionVersion: Currently the
only accepted value is '2.0'"); learn.microsoft.com azure/private-link/private-endpoint-dns (the zone of each
sub-resource); role-based-access-control/built-in-roles/security (Key Vault Crypto Service Encryption User
e147488a-f6f5-4113-8e2d-b22465e65bf6).
"""

import pytest

from amlws.components import ComponentInputError
from amlws.mocks import SUBSCRIPTION_ID
from amlws_rules import assignment_name
from harness import by_type, inputs, one, run
from test_enterprise import ROLE_PREFIX, SUBNET, WS_ID, workspace, zones

MSI = (
    f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/rg-dep/providers/Microsoft.ManagedIdentity"
    "/userAssignedIdentities/msi"
)
MSI_PRINCIPAL = "6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
MSI_CLIENT = "7a2b3c4d-5e6f-4b7c-9d8e-0f1a2b3c4d5e"
FIXTURES = {MSI: {"principalId": MSI_PRINCIPAL, "clientId": MSI_CLIENT}}
GROUP = "3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"
OWNER, CONTRIBUTOR, READER = (
    "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
    "b24988ac-6180-42a0-ab88-20f7382dd24c",
    "acdd72a7-3385-48ef-bd42-f606fba81ae7",
)
BLOB_READER = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"
CRYPTO_USER = "e147488a-f6f5-4113-8e2d-b22465e65bf6"
TENANT_READER = f"/providers/Microsoft.Authorization/roleDefinitions/{READER}"
CONDITION = (
    "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'})) OR "
    "(@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'data'))"
)
REGISTRY = {"sku_name": "Premium", "public_network_access": "Disabled", "tags": {"p": "p"}}


def assignments(result, principal):
    return {
        r.name: inputs(r)
        for r in by_type(result, "authorization:RoleAssignment")
        if inputs(r)["principalId"] == principal
    }


def avm_max_roles():
    """AVM max: Owner by name, Contributor by GUID, Reader by full role definition ID, for a managed identity."""
    return [
        {"role_definition_id_or_name": "Owner", "principal_id": MSI_PRINCIPAL, "principal_type": "ServicePrincipal"},
        {
            "role_definition_id_or_name": CONTRIBUTOR,
            "principal_id": MSI_PRINCIPAL,
            "principal_type": "ServicePrincipal",
        },
        {
            "role_definition_id_or_name": ROLE_PREFIX + READER,
            "principal_id": MSI_PRINCIPAL,
            "principal_type": "ServicePrincipal",
        },
    ]


# role_assignments -------------------------------------------------------------------------------------------------


def test_avm_max_role_assignments_on_the_workspace():
    result = run(workspace(role_assignments=avm_max_roles()))
    got = assignments(result, MSI_PRINCIPAL)
    assert {(a["roleDefinitionId"], a["principalType"], a["scope"]) for a in got.values()} == {
        (ROLE_PREFIX + OWNER, "ServicePrincipal", WS_ID),
        (ROLE_PREFIX + CONTRIBUTOR, "ServicePrincipal", WS_ID),
        (ROLE_PREFIX + READER, "ServicePrincipal", WS_ID),
    }
    for a in got.values():  # AVM: guid(workspace.id, principalId, roleDefinitionId); here uuid5 of the same three
        assert a["roleAssignmentName"] == assignment_name(WS_ID, MSI_PRINCIPAL, a["roleDefinitionId"])
        assert "condition" not in a and "conditionVersion" not in a
    registered = {r.name: r for r in by_type(result, "authorization:RoleAssignment")}
    assert registered[f"w-mlw-ra-{OWNER[:8]}-{MSI_PRINCIPAL}"].parent.endswith("::w")  # a child of the component


def test_role_assignments_on_each_created_resource_with_condition_and_description():
    given = {
        "role_definition_id_or_name": "storage blob data reader",  # Azure compares role names without case
        "principal_id": GROUP,
        "principal_type": "Group",
        "description": "analysts read the data container",
        "condition": CONDITION,
    }
    reader = {"role_definition_id_or_name": TENANT_READER, "principal_id": GROUP, "principal_type": "Group"}
    result = run(
        workspace(
            storage={"role_assignments": [given]},
            key_vault={"role_assignments": [reader]},
            container_registry={"tags": {"p": "p"}, "role_assignments": [{**reader, "principal_type": "User"}]},
            monitoring={"role_assignments": [{**reader, "principal_type": "ForeignGroup"}]},
        )
    )
    got = assignments(result, GROUP)
    storage = one(result, "storage:StorageAccount")
    blob = got[f"w-storage-ra-{BLOB_READER[:8]}-{GROUP}"]
    assert blob["scope"] == storage.id and blob["roleDefinitionId"] == ROLE_PREFIX + BLOB_READER
    assert blob["condition"] == CONDITION and blob["conditionVersion"] == "2.0"
    assert blob["description"] == "analysts read the data container" and blob["principalType"] == "Group"
    vault = got[f"w-keyvault-ra-{READER[:8]}-{GROUP}"]
    assert vault["scope"] == one(result, "keyvault:Vault").id and vault["roleDefinitionId"] == TENANT_READER
    acr = got[f"w-registry-ra-{READER[:8]}-{GROUP}"]
    assert acr["scope"] == one(result, "containerregistry:Registry").id and acr["principalType"] == "User"
    appi = got[f"w-monitoring-ra-{READER[:8]}-{GROUP}"]
    assert appi["scope"] == one(result, "applicationinsights:Component").id
    assert appi["principalType"] == "ForeignGroup"
    # the child components are not handed the key: their inputs are unchanged
    assert "roleAssignments" not in inputs(storage)


def test_reordering_role_assignments_moves_no_urn():
    roles = avm_max_roles()
    first = {r.urn for r in by_type(run(workspace(role_assignments=roles)), "authorization:RoleAssignment")}
    again = {r.urn for r in by_type(run(workspace(role_assignments=roles[::-1])), "authorization:RoleAssignment")}
    assert first == again


def test_access_keeps_working_beside_role_assignments():
    result = run(
        workspace(
            access={"readers": [GROUP]},
            role_assignments=[
                {"role_definition_id_or_name": "Contributor", "principal_id": GROUP, "principal_type": "Group"}
            ],
        )
    )
    got = assignments(result, GROUP)
    assert {a["roleDefinitionId"] for a in got.values()} == {ROLE_PREFIX + READER, ROLE_PREFIX + CONTRIBUTOR}
    assert "w-access-readers-3f2a9c1e" in got  # access's own name, unchanged
    assert got[f"w-mlw-ra-{CONTRIBUTOR[:8]}-{GROUP}"]["principalType"] == "Group"


ROLE = {"role_definition_id_or_name": "Reader", "principal_id": GROUP, "principal_type": "Group"}


@pytest.mark.parametrize(
    "overrides, match",
    [
        (
            {"role_assignments": [ROLE, {**ROLE, "role_definition_id_or_name": "Storage Blob Data Raeder"}]},
            r"role_assignments\[1\]\.role_definition_id_or_name='Storage Blob Data Raeder': .*did you mean "
            "'Storage Blob Data Reader'",
        ),
        (
            {"role_assignments": [{**ROLE, "role_definition_id_or_name": "/subscriptions/x/roleDefinitions/y"}]},
            r"role_assignments\[0\]\.role_definition_id_or_name=.*not a role definition ID",
        ),
        (
            {"role_assignments": [{**ROLE, "principal_id": "alice@contoso.com"}]},
            r"role_assignments\[0\]\.principal_id='alice@contoso.com': .*GUID",
        ),
        (
            {"role_assignments": [{**ROLE, "principal_type": "ManagedIdentity"}]},
            r"role_assignments\[0\]\.principal_type='ManagedIdentity': required, one of User, Group, "
            "ServicePrincipal, ForeignGroup, Device",
        ),
        (
            {"role_assignments": [{k: v for k, v in ROLE.items() if k != "principal_type"}]},
            r"role_assignments\[0\]\.principal_type=None: required",  # the Args schema answers first
        ),
        (
            {"role_assignments": [{**ROLE, "condition": CONDITION, "condition_version": "1.0"}]},
            r"role_assignments\[0\]\.condition_version='1.0': must be '2.0'",
        ),
        (
            {"role_assignments": [{**ROLE, "condition_version": "2.0"}]},
            r"role_assignments\[0\]\.condition_version='2.0': set only with a condition",
        ),
        (
            {"role_assignments": [{**ROLE, "principal_typ": "User"}]},
            r"role_assignments\[0\]\.principal_typ='User': unknown setting; did you mean 'principal_type'",
        ),
        ({"role_assignments": ROLE}, r"role_assignments=.*Input should be a valid list"),
        (
            {"role_assignments": [ROLE, {**ROLE, "role_definition_id_or_name": ROLE_PREFIX + READER}]},
            r"role_assignments\[1\]=.*duplicates role_assignments\[0\]: the same principal, role and scope "
            r"\(workspace\)",
        ),
        (
            {"access": {"readers": [GROUP]}, "role_assignments": [{**ROLE, "role_definition_id_or_name": READER}]},
            r"role_assignments\[0\]=.*duplicates access.readers",
        ),
        (
            {
                "storage": {
                    "existing_id": f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/rg/providers/"
                    "Microsoft.Storage/storageAccounts/stold",
                    "role_assignments": [ROLE],
                }
            },
            r"storage.role_assignments=.*only on a resource the component creates; storage.existing_id",
        ),
        (
            {"monitoring": {"role_assignments": [{**ROLE, "role_definition_id_or_name": "Redaer"}]}},
            r"monitoring.role_assignments\[0\]\.role_definition_id_or_name='Redaer'.*did you mean 'Reader'",
        ),
    ],
)
def test_role_assignments_azure_would_refuse_are_refused_before_anything_is_declared(overrides, match):
    with pytest.raises(ComponentInputError, match=match):
        run(workspace(**overrides))


def test_a_duplicate_of_the_workspace_identitys_own_grants_is_refused():
    """An existing primary identity's principal is looked up while planning, so its documented grants are known."""
    identity = {
        "identity_type": "UserAssigned",
        "user_assigned_identity_ids": [MSI],
        "primary_user_assigned_identity": MSI,
    }
    storage_contributor = {
        "role_definition_id_or_name": "Contributor",
        "principal_id": MSI_PRINCIPAL,
        "principal_type": "ServicePrincipal",
    }
    with pytest.raises(ComponentInputError, match=r"storage.role_assignments\[0\]=.*duplicates the workspace identity"):
        run(workspace(**identity, storage={"role_assignments": [storage_contributor]}), FIXTURES)
    with pytest.raises(ComponentInputError, match=r"^MachineLearningWorkspace: role_assignments\[0\]=.*duplicates"):
        run(workspace(**identity, role_assignments=[storage_contributor]), FIXTURES)
    # Owner on the workspace is not one of them (the pack's workspace-privileged-role-assignment judges it)
    owner = {**storage_contributor, "role_definition_id_or_name": "Owner"}
    assert assignments(run(workspace(**identity, role_assignments=[owner]), FIXTURES), MSI_PRINCIPAL)


# customer_managed_key.user_assigned_identity_resource_id ----------------------------------------------------------


def test_avm_encr_the_key_is_unwrapped_by_an_existing_identity_which_is_also_the_primary_one():
    result = run(
        workspace(
            identity_type="UserAssigned",
            user_assigned_identity_ids=[MSI],
            primary_user_assigned_identity=MSI,
            customer_managed_key={"key_name": "cmk-w", "user_assigned_identity_resource_id": MSI},
        ),
        FIXTURES,
    )
    assert by_type(result, "managedidentity:UserAssignedIdentity") == []  # no key identity is created
    ws = inputs(one(result, "machinelearningservices:Workspace"))
    assert ws["identity"] == {"type": "UserAssigned", "userAssignedIdentities": [MSI]}  # AVM's union: once
    assert ws["primaryUserAssignedIdentity"] == MSI
    vault, key = one(result, "keyvault:Vault"), one(result, "keyvault:Key")
    assert ws["encryption"] == {
        "status": "Enabled",
        "identity": {"userAssignedIdentity": MSI},
        "keyVaultProperties": {
            "keyIdentifier": key.outputs["keyUriWithVersion"],
            "keyVaultArmId": vault.id,
            "identityClientId": MSI_CLIENT,
        },
    }
    crypto = assignments(result, MSI_PRINCIPAL)["w-cmk-crypto"]
    assert crypto["roleDefinitionId"] == ROLE_PREFIX + CRYPTO_USER and crypto["scope"] == vault.id


def test_an_existing_key_identity_beside_a_system_assigned_workspace_identity():
    result = run(workspace(customer_managed_key={"key_name": "k", "user_assigned_identity_resource_id": MSI}), FIXTURES)
    ws = inputs(one(result, "machinelearningservices:Workspace"))
    assert ws["identity"] == {"type": "SystemAssigned,UserAssigned", "userAssignedIdentities": [MSI]}
    assert ws["encryption"]["identity"] == {"userAssignedIdentity": MSI}
    assert by_type(result, "managedidentity:UserAssignedIdentity") == []


def test_an_existing_key_identity_is_not_granted_on_a_vault_the_stack_does_not_own():
    vault_id = f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/rg-sec/providers/Microsoft.KeyVault/vaults/kvcmk"
    protected = {vault_id: {"properties": {"enableSoftDelete": True, "enablePurgeProtection": True}}, **FIXTURES}
    result = run(
        workspace(
            customer_managed_key={"key_name": "k", "user_assigned_identity_resource_id": MSI},
            key_vault={"existing_id": vault_id},
        ),
        protected,
    )
    assert assignments(result, MSI_PRINCIPAL) == {}  # the vault's owner grants Crypto Service Encryption User
    ws = inputs(one(result, "machinelearningservices:Workspace"))
    assert ws["encryption"]["keyVaultProperties"]["keyVaultArmId"] == vault_id


@pytest.mark.parametrize(
    "cmk, fixtures, match",
    [
        (
            {"user_assigned_identity_resource_id": MSI.replace("userAssignedIdentities", "identities")},
            FIXTURES,
            r"customer_managed_key.user_assigned_identity_resource_id=.*"
            "Microsoft.ManagedIdentity/userAssignedIdentities",
        ),
        ({"user_assigned_identity_resource_id": MSI}, {MSI: None}, r"user_assigned_identity_resource_id=.*no such"),
        (
            {"user_assigned_identity_resource_id": MSI, "identity_name": "id-cmk"},
            FIXTURES,
            r"customer_managed_key.identity_name='id-cmk': names the key identity the component creates",
        ),
    ],
)
def test_a_bad_key_identity_is_refused(cmk, fixtures, match):
    with pytest.raises(ComponentInputError, match=match):
        run(workspace(customer_managed_key={"key_name": "k", **cmk}), fixtures)


def test_a_role_assignment_duplicating_the_key_identitys_vault_grant_is_refused():
    crypto = {
        "role_definition_id_or_name": "Key Vault Crypto Service Encryption User",
        "principal_id": MSI_PRINCIPAL,
        "principal_type": "ServicePrincipal",
    }
    with pytest.raises(
        ComponentInputError,
        match=r"key_vault.role_assignments\[0\]=.*duplicates customer_managed_key.user_assigned_identity_resource_id",
    ):
        run(
            workspace(
                customer_managed_key={"key_name": "k", "user_assigned_identity_resource_id": MSI},
                key_vault={"role_assignments": [crypto]},
            ),
            FIXTURES,
        )


# private_endpoints.private_dns_zone_resource_ids ------------------------------------------------------------------

HUB = f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/rg-hub-dns/providers/Microsoft.Network/privateDnsZones/"


def zone_groups(result):
    return {
        r.name: [c["privateDnsZoneId"] for c in inputs(r)["privateDnsZoneConfigs"]]
        for r in by_type(result, "network:PrivateDnsZoneGroup")
    }


def test_existing_zones_replace_the_stacks_zones_of_their_names():
    brought = [
        HUB + "privatelink.api.azureml.ms",
        HUB + "privatelink.notebooks.azure.net",
        HUB + "privatelink.azurecr.io",
    ]
    result = run(
        workspace(
            public_network_access="Disabled",
            container_registry=REGISTRY,
            private_endpoints={
                "subnet_id": SUBNET,
                "private_dns_zone_ids": zones(),
                "private_dns_zone_resource_ids": brought,
            },
        )
    )
    own = zones()
    assert zone_groups(result) == {
        "w-pe-mlw-dns": brought[:2],
        "w-pe-st-blob-dns": [own["privatelink.blob.core.windows.net"]],
        "w-pe-st-file-dns": [own["privatelink.file.core.windows.net"]],
        "w-pe-kv-dns": [own["privatelink.vaultcore.azure.net"]],
        "w-pe-acr-dns": [brought[2]],
    }


def test_all_zones_brought_need_none_of_the_stacks():
    needed = [
        "privatelink.api.azureml.ms",
        "privatelink.notebooks.azure.net",
        "privatelink.blob.core.windows.net",
        "privatelink.file.core.windows.net",
        "privatelink.vaultcore.azure.net",
    ]
    result = run(
        workspace(private_endpoints={"subnet_id": SUBNET, "private_dns_zone_resource_ids": [HUB + z for z in needed]})
    )
    assert sorted(z for ids in zone_groups(result).values() for z in ids) == sorted(HUB + z for z in needed)


@pytest.mark.parametrize(
    "brought, match",
    [
        (
            [HUB.replace("privateDnsZones", "dnszones") + "privatelink.api.azureml.ms"],
            r"private_endpoints.private_dns_zone_resource_ids\[0\]=.*Microsoft.Network/privateDnsZones",
        ),
        (
            [HUB + "privatelink.azurecr.io"],
            r"private_dns_zone_resource_ids\[0\]=.*is zone privatelink.azurecr.io, which none of these private "
            r"endpoints needs; they need privatelink.api.azureml.ms, privatelink.blob.core.windows.net, "
            r"privatelink.file.core.windows.net, privatelink.notebooks.azure.net, privatelink.vaultcore.azure.net",
        ),
        (
            [HUB + "privatelink.api.azureml.ms", HUB.replace("rg-hub-dns", "rg-2") + "privatelink.api.azureml.ms"],
            r"private_dns_zone_resource_ids\[1\]=.*a second privatelink.api.azureml.ms zone",
        ),
        ([HUB + "privatelink.api.azureml.ms"], r"private_dns_zone_ids=\[\]: missing zones privatelink.blob"),
    ],
)
def test_bad_existing_zones_are_refused(brought, match):
    with pytest.raises(ComponentInputError, match=match):
        run(workspace(private_endpoints={"subnet_id": SUBNET, "private_dns_zone_resource_ids": brought}))


def test_a_standalone_associated_resource_declares_its_own_role_assignments():
    from amlws.components import WorkspaceStorage

    reader = {
        "role_definition_id_or_name": "Storage Blob Data Reader",
        "principal_id": GROUP,
        "principal_type": "Group",
    }
    result = run(lambda: WorkspaceStorage("shared-st", {"resource_group_name": "rg", "role_assignments": [reader]}))
    got = one(result, "authorization:RoleAssignment")
    account = one(result, "storage:StorageAccount")
    assert inputs(got)["scope"] == account.id and inputs(got)["roleDefinitionId"] == ROLE_PREFIX + BLOB_READER
    assert got.parent.endswith("WorkspaceStorage::shared-st")
    existing = f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stold"
    with pytest.raises(ComponentInputError, match=r"WorkspaceStorage: role_assignments=.*only on a resource"):
        run(
            lambda: WorkspaceStorage("shared-st", {"existing_id": existing, "role_assignments": [reader]}),
            {existing: {"kind": "StorageV2", "sku": {"name": "Standard_LRS"}, "isHnsEnabled": False}},
        )


def test_the_stacks_zones_are_the_ones_no_private_endpoint_user_brings():
    from amlws.components.network import ALL_ZONES, zones_the_stack_creates, zones_needed

    ws = zones_needed(["amlworkspace", "blob", "file", "vault"])
    shared = zones_needed(["registry", "vault", "blob", "file", "amlregistry"])
    api, vault = HUB + "privatelink.api.azureml.ms", HUB + "privatelink.vaultcore.azure.net"
    assert zones_the_stack_creates({}) == ALL_ZONES  # as before: a network without endpoints
    assert zones_the_stack_creates({"workspaces[0]": (ws, [])}) == ALL_ZONES
    assert zones_the_stack_creates({"workspaces[0]": (ws, [api, vault]), "shared": (shared, [api, vault])}) == tuple(
        z for z in ALL_ZONES if z not in ("privatelink.api.azureml.ms", "privatelink.vaultcore.azure.net")
    )
    everything = [HUB + z for z in sorted({*ws, *shared})]
    assert zones_the_stack_creates({"workspaces[0]": (ws, everything[:]), "shared": (shared, everything)}) == ()
    with pytest.raises(ValueError, match=r"workspaces\[0\] brings .*api.azureml.ms while shared's private endpoints"):
        zones_the_stack_creates({"workspaces[0]": (ws, [api]), "shared": (shared, [])})
    with pytest.raises(ValueError, match=r"workspaces\[1\] brings .* while workspaces\[0\] brings .*: a virtual"):
        zones_the_stack_creates(
            {"workspaces[0]": (ws, [api]), "workspaces[1]": (ws, [api.replace("rg-hub-dns", "rg-other")])}
        )


def test_a_principal_the_program_creates_is_assigned_once_it_is_known():
    """From a Pulumi program: the principal of an identity declared beside the workspace (an Output)."""
    from pulumi_azure_native import managedidentity

    from amlws.components import MachineLearningWorkspace

    def program():
        identity = managedidentity.UserAssignedIdentity("app", resource_group_name="rg", resource_name_="id-app")
        role = {"role_definition_id_or_name": "AzureML Data Scientist", "principal_type": "ServicePrincipal"}
        MachineLearningWorkspace(
            "w",
            {
                "resource_group_name": "rg",
                "workspace_name": "mlw-w",
                "role_assignments": [{**role, "principal_id": identity.principal_id}],
            },
        )

    result = run(program)
    app = one(result, "managedidentity:UserAssignedIdentity")
    got = assignments(result, app.outputs["principalId"])
    assert list(got) == ["w-mlw-ra-f6c7c914-0"]  # its position names it: the principal is not known while planning
    assert got["w-mlw-ra-f6c7c914-0"]["scope"] == WS_ID
    assert got["w-mlw-ra-f6c7c914-0"]["roleAssignmentName"] == assignment_name(
        WS_ID, app.outputs["principalId"], ROLE_PREFIX + "f6c7c914-8db3-469d-8ca1-694a8f32e121"
    )


def test_in_a_first_preview_the_assignment_waits_for_its_scope():
    from amlws.mocks import ArmMocks
    from amlws.preview import run_program

    result = run_program(workspace(role_assignments=avm_max_roles()), "amlws", "test", {}, [], ArmMocks(unknowns=True))
    registered = [r for r in by_type(result, "authorization:RoleAssignment") if r.name.startswith("w-mlw-ra-")]
    assert len(registered) == 3
    for r in registered:  # the workspace's ID (the scope) and so the name are unknown: the engine waits, as ARM needs
        assert r.property_dependencies.get("scope") and r.property_dependencies.get("roleAssignmentName")


# The stack file's keys (camelCase) ---------------------------------------------------------------------------------

VNET = f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet"
WS_NEEDS = [
    "privatelink.api.azureml.ms",
    "privatelink.blob.core.windows.net",
    "privatelink.file.core.windows.net",
    "privatelink.notebooks.azure.net",
    "privatelink.vaultcore.azure.net",
]


def stack(**workspace):
    from test_stacks import BASE

    return {**BASE, "network": {"virtualNetworkId": VNET}, "workspaces": [{"project": "churn", **workspace}]}


def test_the_stack_keys_reach_the_workspace():
    from test_stacks import preview_config

    roles = [
        {"roleDefinitionIdOrName": "Owner", "principalId": MSI_PRINCIPAL, "principalType": "ServicePrincipal"},
        {"roleDefinitionIdOrName": READER, "principalId": MSI_PRINCIPAL, "principalType": "ServicePrincipal"},
    ]
    blob = {"roleDefinitionIdOrName": "Storage Blob Data Reader", "principalId": GROUP, "principalType": "Group"}
    result = preview_config(
        stack(
            roleAssignments=roles,
            storage={"roleAssignments": [blob]},
            customerManagedKey={"keyName": "cmk", "userAssignedIdentityResourceId": MSI},
            privateEndpoints={
                "subnetId": f"{VNET}/subnets/pe",
                "privateDnsZoneResourceIds": [HUB + z for z in WS_NEEDS],
            },
        ),
        FIXTURES,
    )
    ws = one(result, "machinelearningservices:Workspace")
    got = assignments(result, MSI_PRINCIPAL)
    assert {(a["roleDefinitionId"], a["scope"]) for n, a in got.items() if "-mlw-ra-" in n} == {
        (ROLE_PREFIX + OWNER, ws.id),
        (ROLE_PREFIX + READER, ws.id),
    }
    assert [a["scope"] for a in assignments(result, GROUP).values()] == [one(result, "storage:StorageAccount").id]
    assert inputs(ws)["encryption"]["identity"] == {"userAssignedIdentity": MSI}
    assert sorted(z for ids in zone_groups(result).values() for z in ids) == sorted(HUB + z for z in WS_NEEDS)
    assert by_type(result, "privatedns:PrivateZone") == []  # every zone brought: the stack creates none


def test_the_stack_creates_the_zones_not_brought():
    from test_stacks import preview_config

    api = HUB + "privatelink.api.azureml.ms"
    result = preview_config(
        stack(privateEndpoints={"subnetId": f"{VNET}/subnets/pe", "privateDnsZoneResourceIds": [api]})
    )
    created = sorted(inputs(r)["privateZoneName"] for r in by_type(result, "privatedns:PrivateZone"))
    assert "privatelink.api.azureml.ms" not in created and "privatelink.blob.core.windows.net" in created
    assert zone_groups(result)["churn-pe-mlw-dns"][0] == api


@pytest.mark.parametrize(
    "workspace, match",
    [
        (
            {"roleAssignments": [{"roleDefinitionIdOrName": "Ownr", "principalId": GROUP, "principalType": "Group"}]},
            r"amlws:workspaces\[0\]\.roleAssignments\[0\]\.roleDefinitionIdOrName = \"Ownr\": .*did you mean 'Owner'",
        ),
        (
            {"storage": {"roleAssignments": [{"roleDefinitionIdOrName": "Reader", "principalId": GROUP}]}},
            r"amlws:workspaces\[0\]\.storage\.roleAssignments\[0\]\.principalType",
        ),
        (
            {"customerManagedKey": {"keyName": "k", "userAssignedIdentityResourceId": VNET}},
            r"amlws:workspaces\[0\]\.customerManagedKey\.userAssignedIdentityResourceId",
        ),
        (
            {"privateEndpoints": {"subnetId": f"{VNET}/subnets/pe", "privateDnsZoneResourceIds": [VNET]}},
            r"amlws:workspaces\[0\]\.privateEndpoints\.privateDnsZoneResourceIds",
        ),
        (
            {
                "privateEndpoints": {
                    "subnetId": f"{VNET}/subnets/pe",
                    "privateDnsZoneResourceIds": [HUB + "privatelink.azurecr.io"],
                }
            },
            r"amlws:workspaces\[0\]\.privateEndpoints\.privateDnsZoneResourceIds\[0\] = .*none of these private "
            "endpoints needs",
        ),
    ],
)
def test_the_stack_file_names_the_key_as_written(workspace, match):
    from amlws.preview import PreviewError
    from test_stacks import preview_config

    with pytest.raises(PreviewError, match=r"Pulumi.qa.yaml"):
        preview_config(stack(**workspace), FIXTURES)
    with pytest.raises(PreviewError, match=match):
        preview_config(stack(**workspace), FIXTURES)


def test_a_shared_resource_takes_role_assignments_too():
    from test_stacks import BASE, preview_config

    blob = {"roleDefinitionIdOrName": "Storage Blob Data Reader", "principalId": GROUP, "principalType": "Group"}
    result = preview_config({**BASE, "shared": {"storage": {"roleAssignments": [blob]}}})
    [got] = [r for r in by_type(result, "authorization:RoleAssignment") if inputs(r)["principalId"] == GROUP]
    assert inputs(got)["scope"] == one(result, "storage:StorageAccount").id
    assert got.parent.endswith("WorkspaceStorage::shared-storage")
