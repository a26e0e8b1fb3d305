"""Prod reachability (inbound private endpoints), image builds behind a closed registry, and the approval
of managed-network private endpoints: what each declares, and what is refused offline."""

import pytest

from amlws.mocks import SUBSCRIPTION_ID
from harness import by_type, inputs, one, run
from test_enterprise import workspace

APPROVER = "b556d68e-0be0-4f35-a333-ad7ee1ce17ea"  # Azure AI Enterprise Network Connection Approver


def approver_grants(result):
    return [r for r in by_type(result, "authorization:RoleAssignment") if inputs(r)["roleDefinitionId"].endswith(f"/{APPROVER}")]


def test_workspace_identity_may_approve_the_private_endpoint_to_each_datastore_account():
    lake = {"name": "lake", "datastore_type": "AzureDataLakeGen2", "container_name": "curated"}
    result = run(workspace(managed_network_isolation_mode="AllowOnlyApprovedOutbound", datastores=[lake],
                           compute_clusters=[{"name": "cpu", "vm_size": "Standard_D4s_v3", "max_node_count": 2}]))
    [grant] = approver_grants(result)
    account = next(r for r in by_type(result, "storage:StorageAccount") if r.name == "w-lake-st")
    got = inputs(grant)
    assert got["scope"] == account.id and got["principalType"] == "ServicePrincipal"
    assert got["roleDefinitionId"] == f"/subscriptions/{SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleDefinitions/{APPROVER}"
    ws = one(result, "machinelearningservices:Workspace")
    assert got["principalId"] == ws.outputs["identity"]["principalId"]
    cluster = one(result, "machinelearningservices:Compute")
    assert grant.urn in cluster.dependencies  # the managed network is provisioned with the first compute


def test_no_approver_grant_without_a_private_endpoint_rule():
    lake = {"name": "lake", "datastore_type": "AzureDataLakeGen2", "container_name": "curated"}
    assert approver_grants(run(workspace(datastores=[lake]))) == []
