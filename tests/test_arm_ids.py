"""Every ARM ID a user writes goes through one parser (amlws_rules.arm) with the type it must be: in the stack
config (a named error with the key as written) and in the component args (a ComponentInputError naming the
setting), before anything is declared (issue 22)."""

from __future__ import annotations

import pytest

from amlws.components import ComponentInputError, MachineLearningWorkspace
from amlws.components.network import validate_outbound_rules, validate_private_endpoints
from amlws.components.self_serve import validate_zone_args
from amlws_rules.arm import arm_id_problem, example_arm_id, parse_arm_id
from harness import run
from test_config_values import accepted, refused

SUB = "00000000-0000-0000-0000-000000000000"
RG = f"/subscriptions/{SUB}/resourceGroups/rg-ml-platform-prod"
STORAGE = f"{RG}/providers/Microsoft.Storage/storageAccounts/stmlbuildctxprod"
VAULT = f"{RG}/providers/Microsoft.KeyVault/vaults/kv-prod"
SUBNET = f"{RG}/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-pe"
VNET = f"{RG}/providers/Microsoft.Network/virtualNetworks/vnet-hub"
IDENTITY = f"{RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-ml"
ZONE = f"{RG}/providers/Microsoft.Network/privateDnsZones/privatelink.api.azureml.ms"
SUBNET_TYPE = "Microsoft.Network/virtualNetworks/subnets"


# The parser ---------------------------------------------------------------------------------------


def test_a_resource_id_is_parsed_into_its_parts_child_types_included():
    subnet = parse_arm_id(SUBNET, SUBNET_TYPE)
    assert (subnet.subscription_id, subnet.resource_group_name, subnet.name, subnet.parent_names) == (
        SUB,
        "rg-ml-platform-prod",
        "snet-pe",
        ("vnet-hub",),
    )
    assert subnet.full_type == SUBNET_TYPE
    assert parse_arm_id(
        STORAGE.upper().replace("/SUBSCRIPTIONS/", "/subscriptions/"), "microsoft.storage/STORAGEACCOUNTS"
    )
    assert parse_arm_id(RG, "Microsoft.Resources/resourceGroups").name == "rg-ml-platform-prod"


@pytest.mark.parametrize(
    "value, hint",
    [
        ("stmlbuildctxprod", "it does not start with /subscriptions/"),
        (f"x{STORAGE}", "it has 'x' before /subscriptions/"),
        (f"https://management.azure.com{STORAGE}", "before /subscriptions/"),
        (f" {STORAGE}", "leading or trailing whitespace"),
        (f"{STORAGE}/", "it ends with /"),
        (STORAGE.replace(SUB, "s"), "the subscription ID is not a GUID"),
        (f"{RG}/providers/Microsoft.Storage/storageAccounts", ""),
        ("", ""),
    ],
)
def test_what_is_not_an_id_is_refused_with_what_is_wrong(value, hint):
    problem = arm_id_problem(value, "Microsoft.Storage/storageAccounts")
    assert problem is not None and problem.startswith(
        f"{value!r} is not an ARM ID of a Microsoft.Storage/storageAccounts"
    )
    assert (
        f"e.g. /subscriptions/{SUB}/resourceGroups/<resource group>/providers/Microsoft.Storage/storageAccounts/<name>"
        in problem
    )
    assert hint in problem


def test_an_id_of_another_type_is_refused_naming_both_types():
    assert arm_id_problem(VAULT, SUBNET_TYPE) == (
        f"{VAULT!r} is an ARM ID of a Microsoft.KeyVault/vaults, not an ARM ID of a {SUBNET_TYPE}, "
        f"e.g. {example_arm_id(SUBNET_TYPE)}"
    )
    assert example_arm_id(SUBNET_TYPE).endswith(
        "/providers/Microsoft.Network/virtualNetworks/<virtualNetwork name>/subnets/<name>"
    )
    assert "is an ARM ID of a Microsoft.Network/virtualNetworks," in arm_id_problem(VNET, SUBNET_TYPE)


def test_any_resource_type_is_a_resource_but_a_resource_group_is_not():
    assert arm_id_problem(VAULT) is None and arm_id_problem(SUBNET) is None
    assert "is the ID of a resource group" in arm_id_problem(RG)
    assert "is not an ARM resource ID" in arm_id_problem(42)


# Stack config: the key as written, the value, what is allowed -----------------------------------------


@pytest.mark.parametrize("target", ["stmlbuildctxprod", f"prefix{STORAGE}", RG])
def test_an_outbound_rule_target_that_is_not_a_resource_id_is_refused(target):
    rule = {"type": "PrivateEndpoint", "serviceResourceId": target, "subresourceTarget": "blob"}
    message = refused(
        {
            "project": "churn",
            "managedNetworkIsolationMode": "AllowOnlyApprovedOutbound",
            "managedNetworkOutboundRules": {"build-contexts": rule},
        }
    )
    assert f'amlws:workspaces[0].managedNetworkOutboundRules.build-contexts.serviceResourceId = "{target}": ' in message
    assert "an ARM resource ID, e.g. /subscriptions/" in message


def test_an_outbound_rule_to_any_resource_is_accepted():
    rule = {"type": "PrivateEndpoint", "serviceResourceId": VAULT, "subresourceTarget": "vault"}
    accepted(
        {
            "project": "churn",
            "managedNetworkIsolationMode": "AllowOnlyApprovedOutbound",
            "managedNetworkOutboundRules": {"kv": rule},
        }
    )


@pytest.mark.parametrize(
    "workspace, key, arm_type",
    [
        ({"storage": {"existingId": VAULT}}, "storage.existingId", "Microsoft.Storage/storageAccounts"),
        ({"keyVault": {"existingId": STORAGE}}, "keyVault.existingId", "Microsoft.KeyVault/vaults"),
        (
            {"containerRegistry": {"existingId": STORAGE}},
            "containerRegistry.existingId",
            "Microsoft.ContainerRegistry/registries",
        ),
        (
            {"monitoring": {"existingApplicationInsightsId": STORAGE}},
            "monitoring.existingApplicationInsightsId",
            "Microsoft.Insights/components",
        ),
        (
            {"monitoring": {"existingLogAnalyticsWorkspaceId": STORAGE}},
            "monitoring.existingLogAnalyticsWorkspaceId",
            "Microsoft.OperationalInsights/workspaces",
        ),
        (
            {"datastores": [{"name": "lake", "containerName": "raw", "existingStorageId": VAULT}]},
            "datastores[0].existingStorageId",
            "Microsoft.Storage/storageAccounts",
        ),
        (
            {"computeClusters": [{"name": "cpu", "vmSize": "Standard_DS3_v2", "maxNodeCount": 1, "subnetId": VNET}]},
            "computeClusters[0].subnetId",
            SUBNET_TYPE,
        ),
        (
            {
                "computeInstances": [
                    {
                        "name": "ci-one",
                        "vmSize": "Standard_DS3_v2",
                        "idleTimeBeforeShutdown": "PT30M",
                        "assignedUserObjectId": "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d",
                        "subnetId": "snet-pe",
                    }
                ]
            },
            "computeInstances[0].subnetId",
            SUBNET_TYPE,
        ),
        (
            {"identityType": "SystemAssigned,UserAssigned", "userAssignedIdentityIds": [IDENTITY, "id-ml"]},
            "userAssignedIdentityIds",
            "Microsoft.ManagedIdentity/userAssignedIdentities",
        ),
        (
            {"primaryUserAssignedIdentity": STORAGE},
            "primaryUserAssignedIdentity",
            "Microsoft.ManagedIdentity/userAssignedIdentities",
        ),
    ],
)
def test_each_id_in_a_workspace_must_be_an_id_of_its_type(workspace, key, arm_type):
    message = refused({"project": "churn", **workspace})
    assert f"amlws:workspaces[0].{key} = " in message
    assert f"an ARM ID of a {arm_type}, e.g. /subscriptions/" in message


def test_network_and_private_endpoint_ids_must_be_of_their_type():
    message = refused(network={"virtualNetworkId": SUBNET})
    assert f'amlws:network.virtualNetworkId = "{SUBNET}": ' in message
    assert "an ARM ID of a Microsoft.Network/virtualNetworks, e.g." in message
    message = refused(network={"virtualNetworkId": VNET}, shared={"privateEndpoints": {"subnetId": VNET}})
    assert f'amlws:shared.privateEndpoints.subnetId = "{VNET}": ' in message
    accepted(network={"virtualNetworkId": VNET}, shared={"privateEndpoints": {"subnetId": SUBNET}})


# Components: the same parser behind a ComponentInputError ------------------------------------------------


def workspace(**overrides):
    args = {"resource_group_name": "rg", "location": "westeurope", **overrides}
    return lambda: MachineLearningWorkspace("w", args)


@pytest.mark.parametrize("target", ["stmlbuildctxprod", f"x{STORAGE}"])
def test_the_component_refuses_an_outbound_rule_target_that_is_not_an_id(target):
    rules = {"ctx": {"type": "PrivateEndpoint", "service_resource_id": target, "subresource_target": "blob"}}
    with pytest.raises(ComponentInputError) as err:
        validate_outbound_rules("C", rules, "AllowOnlyApprovedOutbound")
    assert err.value.setting == "managed_network_outbound_rules.ctx.service_resource_id"
    assert "is not an ARM resource ID" in err.value.problem
    validate_outbound_rules("C", {"ctx": {**rules["ctx"], "service_resource_id": STORAGE}}, "AllowOnlyApprovedOutbound")


@pytest.mark.parametrize(
    "overrides, setting",
    [
        (
            {"identity_type": "SystemAssigned,UserAssigned", "user_assigned_identity_ids": ["id-ml"]},
            "user_assigned_identity_ids[0]",
        ),
        (
            {
                "identity_type": "UserAssigned",
                "user_assigned_identity_ids": [IDENTITY],
                "primary_user_assigned_identity": VAULT,
            },
            "primary_user_assigned_identity",
        ),
        (
            {
                "compute_clusters": [
                    {"name": "c1", "vm_size": "Standard_DS3_v2", "max_node_count": 1, "subnet_id": VNET}
                ]
            },
            "subnet_id",
        ),
        ({"tags": {"a<b": "x"}}, "tags"),
    ],
)
def test_the_workspace_refuses_ids_of_the_wrong_type_before_declaring_anything(overrides, setting):
    with pytest.raises(ComponentInputError) as err:
        run(workspace(**overrides))
    assert setting in err.value.setting


def test_private_dns_zone_ids_must_be_zone_ids_of_the_zone_they_stand_for():
    settings = {"subnet_id": SUBNET, "private_dns_zone_ids": {"privatelink.api.azureml.ms": VAULT}}
    with pytest.raises(ComponentInputError, match="an ARM ID of a Microsoft.Network/privateDnsZones"):
        validate_private_endpoints("C", settings, [], {}, extra_groups=["amlworkspace"])
    other = ZONE.replace("privatelink.api.azureml.ms", "privatelink.blob.core.windows.net")
    settings = {"subnet_id": SUBNET, "private_dns_zone_ids": {"privatelink.api.azureml.ms": other}}
    with pytest.raises(ComponentInputError, match="another zone than privatelink.api.azureml.ms"):
        validate_private_endpoints("C", settings, [], {}, extra_groups=["amlworkspace"])


def test_a_self_serve_zone_refuses_an_approved_id_of_the_wrong_type():
    args = {
        "resource_group_name": "rg-selfserve",
        "location": "westeurope",
        "creator_group_object_ids": ["3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"],
        "approved": {"storage_account_id": VAULT, "key_vault_id": VAULT, "application_insights_id": "appi"},
    }
    with pytest.raises(ComponentInputError) as err:
        validate_zone_args(args)  # type: ignore[arg-type]
    assert err.value.setting == "approved.storage_account_id"
