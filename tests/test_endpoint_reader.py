"""Reader on the storage account's private endpoints in the client network, for the workspace identity.

Source: MicrosoftDocs/azure-ai-docs articles/machine-learning/how-to-managed-network.md, "Azure Machine
Learning studio": "If the workspace associated Azure storage account has public network access disabled,
ensure the private endpoint created in the client virtual network is granted the Reader role to your workspace
managed identity. This applies to both blog [sic] and file storage private endpoints. The role isn't required
for the private endpoint created by the managed virtual network."

And the identity's Contributor on the workspace before the computes: the first compute provisions the managed
network, whose private endpoint to the workspace the identity approves ("Approval of private endpoints": for
default workspace resources "the required permissions are automatically covered by the role assignments granted
during workspace creation"; Contributor's actions `*` cover every action of Azure AI Enterprise Network
Connection Approver, MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/privileged.md and
ai-machine-learning.md).
"""

import pytest

from amlws.mocks import SUBSCRIPTION_ID
from amlws.monitor import UNKNOWN
from amlws_rules import assignment_name
from harness import by_type, inputs, one, run
from test_enterprise import ROLE_PREFIX, SUBNET, workspace, zones

READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7"  # policy/amlws_rules/roles.py READER
CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c"
ENDPOINTS = {"subnet_id": SUBNET, "private_dns_zone_ids": zones()}
CLOSED = {"public_network_access": "Disabled", "network_default_action": "Deny"}
UAI = (
    f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/rg"
    "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-existing"
)
UAI_PRINCIPAL = "11111111-2222-4333-8444-555555555555"


def readers(result):
    return {
        r.name: r
        for r in by_type(result, "authorization:RoleAssignment")
        if inputs(r)["roleDefinitionId"] == ROLE_PREFIX + READER
    }


def endpoint(result, name):
    return next(r for r in by_type(result, "network:PrivateEndpoint") if r.name == name)


def assert_reader_on_storage_endpoints(result, principal, principal_urn):
    found = readers(result)
    assert set(found) == {"w-pe-st-blob-reader", "w-pe-st-file-reader"}  # not the workspace's or the vault's endpoint
    for sub in ("blob", "file"):
        grant, pe = found[f"w-pe-st-{sub}-reader"], endpoint(result, f"w-pe-st-{sub}")
        got = inputs(grant)
        assert got["scope"] == pe.id and grant.property_dependencies["scope"] == [
            pe.urn
        ]  # the endpoint itself, after it
        assert got["principalId"] == principal and grant.property_dependencies["principalId"] == [principal_urn]
        assert got["principalType"] == "ServicePrincipal"
        assert got["roleAssignmentName"] == assignment_name(
            pe.id, principal, ROLE_PREFIX + READER
        )  # uuid5(scope, principal, role)


def test_the_created_workspace_identity_reads_the_closed_storage_accounts_endpoints():
    result = run(workspace(workspace_identity={}, storage=CLOSED, private_endpoints=ENDPOINTS))
    mine = next(r for r in by_type(result, "managedidentity:UserAssignedIdentity") if r.name == "w-mlw-id")
    assert_reader_on_storage_endpoints(result, mine.outputs["principalId"], mine.urn)


def test_a_system_assigned_workspace_grants_its_own_principal_once_the_workspace_exists():
    result = run(workspace(storage=CLOSED, private_endpoints=ENDPOINTS))
    ws = one(result, "machinelearningservices:Workspace")
    assert_reader_on_storage_endpoints(result, ws.outputs["identity"]["principalId"], ws.urn)


def test_an_existing_primary_identity_gets_it_when_the_component_grants_its_roles():
    args = {"identity_type": "UserAssigned", "user_assigned_identity_ids": [UAI], "primary_user_assigned_identity": UAI}
    result = run(workspace(**args, storage=CLOSED, private_endpoints=ENDPOINTS), {UAI: {"principalId": UAI_PRINCIPAL}})
    found = readers(result)
    assert {inputs(g)["principalId"] for g in found.values()} == {UAI_PRINCIPAL} and len(found) == 2
    off = run(workspace(**args, grant_workspace_identity_data_roles=False, storage=CLOSED, private_endpoints=ENDPOINTS))
    assert readers(off) == {}  # the grants are the caller's, as for the identity's other roles


def test_the_letter_case_of_disabled_does_not_matter():
    result = run(workspace(storage={**CLOSED, "public_network_access": "disabled"}, private_endpoints=ENDPOINTS))
    assert set(readers(result)) == {"w-pe-st-blob-reader", "w-pe-st-file-reader"}


@pytest.mark.parametrize(
    "overrides",
    [
        {"private_endpoints": ENDPOINTS, "storage": {"public_network_access": "Enabled"}},  # open: nothing asked
        {
            "private_endpoints": ENDPOINTS,
            "storage": {"public_network_access": "Enabled", "network_default_action": "Deny"},
        },
        {
            "storage": CLOSED,
            "managed_network_isolation_mode": "AllowOnlyApprovedOutbound",
        },  # no client-network endpoint
        {"workspace_identity": {}, "storage": CLOSED, "managed_network_isolation_mode": "AllowOnlyApprovedOutbound"},
    ],
    ids=["open-storage", "enabled-with-firewall", "managed-network-only", "managed-network-only-uai"],
)
def test_no_reader_where_the_doc_asks_for_none(overrides):
    result = run(workspace(**overrides))
    assert readers(result) == {}


def test_computes_wait_for_the_identitys_contributor_grant_on_the_workspace():
    cluster = {"name": "cpu", "vm_size": "Standard_DS3_v2", "max_node_count": 2}
    result = run(
        workspace(
            workspace_identity={},
            managed_network_isolation_mode="AllowOnlyApprovedOutbound",
            compute_clusters=[cluster],
        )
    )
    grant = next(
        r for r in by_type(result, "authorization:RoleAssignment") if r.name == "w-identity-workspace-contributor"
    )
    assert inputs(grant)["roleDefinitionId"] == ROLE_PREFIX + CONTRIBUTOR
    assert grant.urn in one(result, "machinelearningservices:Compute").dependencies


@pytest.mark.parametrize("unknowns", [False, True])
def test_prod_grants_each_workspace_identity_reader_on_its_storage_endpoints(stack_preview, unknowns):
    result = stack_preview("prod", unknowns)
    grants = {
        r.name: r
        for r in by_type(result, "authorization:RoleAssignment")
        if r.name.endswith("-reader") and "-pe-" in r.name
    }
    assert sorted(grants) == [
        "churn-pe-st-blob-reader",
        "churn-pe-st-file-reader",
        "fraud-pe-st-blob-reader",
        "fraud-pe-st-file-reader",
    ]
    for name, grant in grants.items():
        project, sub = name.split("-pe-st-")[0], name.split("-pe-st-")[1].removesuffix("-reader")
        pe = endpoint(result, f"{project}-pe-st-{sub}")
        identity = next(
            r for r in by_type(result, "managedidentity:UserAssignedIdentity") if r.name == f"{project}-mlw-id"
        )
        assert grant.property_dependencies["scope"] == [pe.urn] and grant.property_dependencies["principalId"] == [
            identity.urn
        ]
        got = inputs(grant)
        assert got["roleDefinitionId"] == ROLE_PREFIX + READER and got["principalType"] == "ServicePrincipal"
        if unknowns:  # a first preview: the endpoint's ID, the principal and so the name are computed
            raw = grant.inputs
            assert raw["scope"] == UNKNOWN and raw["principalId"] == UNKNOWN and raw["roleAssignmentName"] == UNKNOWN
        else:
            assert got["scope"] == pe.id and got["principalId"] == identity.outputs["principalId"]
            assert got["roleAssignmentName"] == assignment_name(
                pe.id, identity.outputs["principalId"], ROLE_PREFIX + READER
            )
