"""Prod reachability (inbound private endpoints), image builds behind a closed registry, and the approval
of managed-network private endpoints: what each declares, and what is refused offline."""

import pytest

from amlws.mocks import SUBSCRIPTION_ID
from harness import by_type, inputs, one, run
from test_enterprise import workspace

APPROVER = "b556d68e-0be0-4f35-a333-ad7ee1ce17ea"  # Azure AI Enterprise Network Connection Approver


def approver_grants(result):
    return [
        r
        for r in by_type(result, "authorization:RoleAssignment")
        if inputs(r)["roleDefinitionId"].endswith(f"/{APPROVER}")
    ]


def test_workspace_identity_may_approve_the_private_endpoint_to_each_datastore_account():
    lake = {"name": "lake", "datastore_type": "AzureDataLakeGen2", "container_name": "curated"}
    result = run(
        workspace(
            managed_network_isolation_mode="AllowOnlyApprovedOutbound",
            datastores=[lake],
            compute_clusters=[{"name": "cpu", "vm_size": "Standard_D4s_v3", "max_node_count": 2}],
        )
    )
    [grant] = approver_grants(result)
    account = next(r for r in by_type(result, "storage:StorageAccount") if r.name == "w-lake-st")
    got = inputs(grant)
    assert got["scope"] == account.id and got["principalType"] == "ServicePrincipal"
    assert (
        got["roleDefinitionId"]
        == f"/subscriptions/{SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleDefinitions/{APPROVER}"
    )
    ws = one(result, "machinelearningservices:Workspace")
    assert got["principalId"] == ws.outputs["identity"]["principalId"]
    cluster = one(result, "machinelearningservices:Compute")
    assert grant.urn in cluster.dependencies  # the managed network is provisioned with the first compute


def test_no_approver_grant_without_a_private_endpoint_rule():
    lake = {"name": "lake", "datastore_type": "AzureDataLakeGen2", "container_name": "curated"}
    assert approver_grants(run(workspace(datastores=[lake], managed_network_isolation_mode="Disabled"))) == []
    # The default managed network (AllowOnlyApprovedOutbound) has one: the datastore account's endpoint rule.
    assert len(approver_grants(run(workspace(datastores=[lake])))) == 1


# Images: built here for a registry the deployer reaches, by Azure ML behind a closed one -------------

CONTEXT_URI = "https://stbuildctx.blob.core.windows.net/build-contexts/train/3/"
CLUSTER = {"name": "cpu", "vm_size": "Standard_D4s_v3", "max_node_count": 2}
PRIVATE_ACR = {"sku_name": "Premium", "public_network_access": "Disabled", "tags": {"p": "p"}}


def test_azure_ml_builds_the_image_inside_its_network_when_the_registry_is_closed(monkeypatch):
    result = run(
        workspace(
            container_registry=PRIVATE_ACR,
            compute_clusters=[CLUSTER],
            image_build_compute="cpu",
            environments=[
                {"name": "train", "version": "3", "build_context_uri": CONTEXT_URI, "dockerfile": "docker/Dockerfile"}
            ],
        )
    )
    assert by_type(result, "docker:index/image:Image") == []  # nothing is pushed from the deploying machine
    assert inputs(one(result, "machinelearningservices:Workspace"))["imageBuildCompute"] == "cpu"
    version = one(result, "machinelearningservices:EnvironmentVersion")
    props = inputs(version)["properties"]
    assert props["build"] == {"contextUri": CONTEXT_URI, "dockerfilePath": "docker/Dockerfile"} and "image" not in props
    assert one(result, "machinelearningservices:Compute").urn in version.dependencies  # the build compute exists first


def test_a_local_build_still_pushes_to_a_registry_the_deployer_can_reach(monkeypatch):
    from harness import ROOT

    monkeypatch.chdir(ROOT)
    result = run(
        workspace(
            container_registry={"tags": {"p": "p"}},
            environments=[{"name": "train", "version": "3", "docker_context": "environments/training"}],
        )
    )
    assert len(by_type(result, "docker:index/image:Image")) == 1
    assert "build" not in inputs(one(result, "machinelearningservices:EnvironmentVersion"))["properties"]


@pytest.mark.parametrize(
    "overrides, match",
    [
        # The push from the deploying machine into a closed registry: refused offline, naming the way out.
        (
            {
                "container_registry": PRIVATE_ACR,
                "environments": [{"name": "t", "version": "1", "docker_context": "environments/training"}],
            },
            r"environments\[0\].docker_context='environments/training': the workspace's "
            r"container registry has public network access disabled.*build_context_uri",
        ),
        (
            {
                "container_registry": PRIVATE_ACR,
                "environments": [{"name": "t", "version": "1", "build_context_uri": CONTEXT_URI}],
            },
            r"image_build_compute=None: required for t: the workspace's container registry is behind a network",
        ),
        (
            {
                "container_registry": PRIVATE_ACR,
                "compute_clusters": [CLUSTER],
                "image_build_compute": "gpu",
                "environments": [{"name": "t", "version": "1", "build_context_uri": CONTEXT_URI}],
            },
            r"image_build_compute='gpu': names no compute of this workspace \(cpu\)",
        ),
        (
            {
                "container_registry": PRIVATE_ACR,
                "environments": [{"name": "t", "version": "1", "build_context_uri": "git+https://github.com/x/y"}],
            },
            r"build_context_uri='git\+https://github.com/x/y': must be a blob URI",
        ),
        (
            {"container_registry": {"tags": {"p": "p"}}, "environments": [{"name": "t", "version": "1"}]},
            r"environments\[0\]=.*give exactly one of docker_context .* or build_context_uri",
        ),
    ],
)
def test_image_builds_azure_would_refuse_are_refused_offline(monkeypatch, overrides, match):
    from amlws.components import ComponentInputError
    from harness import ROOT

    monkeypatch.chdir(ROOT)
    with pytest.raises(ComponentInputError, match=match):
        run(workspace(**overrides))


EXISTING_ACR = (
    f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/rg-sec/providers/Microsoft.ContainerRegistry/registries/acrclosed"
)


def test_an_existing_registry_found_closed_refuses_a_local_build(monkeypatch):
    from amlws.components import ComponentInputError
    from harness import ROOT

    monkeypatch.chdir(ROOT)
    fixtures = {EXISTING_ACR: {"loginServer": "acrclosed.azurecr.io", "publicNetworkAccess": "Disabled"}}
    env = [{"name": "t", "version": "1", "docker_context": "environments/training"}]
    with pytest.raises(ComponentInputError, match="public network access disabled"):
        run(workspace(container_registry={"existing_id": EXISTING_ACR}, environments=env), fixtures)


def test_a_local_build_into_the_stacks_closed_shared_registry_is_refused_before_anything_is_declared(monkeypatch):
    from amlws.preview import PreviewError
    from harness import ROOT
    from test_stacks import BASE, preview_config

    monkeypatch.chdir(ROOT)
    config = {
        **BASE,
        "shared": {"containerRegistry": {"skuName": "Premium", "publicNetworkAccess": "Disabled"}},
        "workspaces": [
            {
                "project": "churn",
                "environments": [{"name": "t", "version": "1", "dockerContext": "environments/training"}],
            }
        ],
    }
    with pytest.raises(PreviewError) as err:
        preview_config(config)
    message = str(err.value)
    assert "amlws:workspaces[0].environments[0].dockerContext" in message and "give buildContextUri" in message
    assert err.value.registrations == []
    uri = "https://stbuildctx.blob.core.windows.net/ctx/t/1/"
    config["workspaces"] = [
        {
            "project": "churn",
            "imageBuildCompute": "cpu",
            "computeClusters": [{"name": "cpu", "vmSize": "Standard_D4s_v3", "maxNodeCount": 2}],
            "environments": [{"name": "t", "version": "1", "buildContextUri": uri}],
        }
    ]
    version = inputs(one(preview_config(config), "machinelearningservices:EnvironmentVersion"))
    assert version["properties"]["build"]["contextUri"] == uri


# The way in: private endpoints for workspaces and the Azure ML registry, from a given or created subnet ----


def endpoint_groups(result):
    return {
        r.name: inputs(r)["privateLinkServiceConnections"][0]["groupIds"]
        for r in by_type(result, "network:PrivateEndpoint")
    }


def test_prod_shows_the_whole_path_from_its_network_to_the_workspaces_and_the_ml_registry(stack_preview):
    result = stack_preview("prod")
    vnet = one(result, "network:VirtualNetwork")
    [subnet] = inputs(vnet)["subnets"]
    assert subnet["name"] == "snet-private-endpoints" and inputs(vnet)["addressSpace"]["addressPrefixes"] == [
        "10.40.0.0/16"
    ]
    groups = endpoint_groups(result)
    assert groups["churn-pe-mlw"] == groups["fraud-pe-mlw"] == ["amlworkspace"]
    assert groups["shared-pe-mlreg"] == ["amlregistry"] and groups["shared-pe-acr"] == ["registry"]
    endpoints = {r.name: r for r in by_type(result, "network:PrivateEndpoint")}
    registry = one(result, "machinelearningservices:Registry")
    assert (
        inputs(endpoints["shared-pe-mlreg"])["privateLinkServiceConnections"][0]["privateLinkServiceId"] == registry.id
    )
    for endpoint in endpoints.values():  # every endpoint sits in the created subnet
        assert inputs(endpoint)["subnet"]["id"] == f"{vnet.id}/subnets/snet-private-endpoints"
        assert vnet.urn in endpoint.dependencies
    zones = {inputs(r)["privateZoneName"]: r for r in by_type(result, "privatedns:PrivateZone")}
    assert {"privatelink.api.azureml.ms", "privatelink.notebooks.azure.net"} <= set(zones)
    links = by_type(result, "privatedns:VirtualNetworkLink")
    assert len(links) == len(zones) and all(inputs(link)["virtualNetwork"] == {"id": vnet.id} for link in links)
    dns = {r.name: inputs(r) for r in by_type(result, "network:PrivateDnsZoneGroup")}
    api = zones["privatelink.api.azureml.ms"].id
    assert [c["privateDnsZoneId"] for c in dns["shared-pe-mlreg-dns"]["privateDnsZoneConfigs"]] == [api]
    assert [c["privateDnsZoneId"] for c in dns["churn-pe-mlw-dns"]["privateDnsZoneConfigs"]] == [
        api,
        zones["privatelink.notebooks.azure.net"].id,
    ]


def test_an_existing_subnet_by_id_or_by_name_in_an_existing_network():
    from test_stacks import BASE, preview_config

    vnet = (
        "/subscriptions/00000000-0000-0000-0000-000000000000"
        "/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-hub"
    )
    config = {
        **BASE,
        "network": {"virtualNetworkId": vnet},
        "shared": {"mlRegistry": {"registryName": "mlreg-qa"}, "privateEndpoints": {"subnetName": "pe"}},
        "workspaces": [{"project": "churn", "privateEndpoints": {"subnetId": f"{vnet}/subnets/other"}}],
    }
    result = preview_config(config)
    assert by_type(result, "network:VirtualNetwork") == []  # brought, not created
    subnets = {r.name: inputs(r)["subnet"]["id"] for r in by_type(result, "network:PrivateEndpoint")}
    assert subnets["shared-pe-mlreg"] == f"{vnet}/subnets/pe" and subnets["churn-pe-mlw"] == f"{vnet}/subnets/other"


@pytest.mark.parametrize(
    "network, endpoints, problem",
    [
        (
            {
                "virtualNetwork": {
                    "addressPrefixes": ["10.0.0.0/16"],
                    "subnets": [{"name": "pe", "addressPrefix": "10.0.1.0/24"}],
                }
            },
            {"subnetName": "nope"},
            "subnetName 'nope' is not a subnet of amlws:network.virtualNetwork (its subnets[].name: pe)",
        ),
        (
            {
                "virtualNetwork": {
                    "addressPrefixes": ["10.0.0.0/16"],
                    "subnets": [{"name": "pe", "addressPrefix": "10.1.0.0/24"}],
                }
            },
            {"subnetName": "pe"},
            "amlws:network.virtualNetwork.subnets[0].addressPrefix",
        ),
        (
            {
                "virtualNetwork": {
                    "addressPrefixes": ["10.0.0.0/16"],
                    "subnets": [
                        {"name": "pe", "addressPrefix": "10.0.1.0/24"},
                        {"name": "b", "addressPrefix": "10.0.1.128/25"},
                    ],
                }
            },
            {"subnetName": "pe"},
            "overlaps subnet pe",
        ),
        (
            {
                "virtualNetworkId": "/subscriptions/00000000-0000-0000-0000-000000000000"
                "/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v",
                "virtualNetwork": {
                    "addressPrefixes": ["10.0.0.0/16"],
                    "subnets": [{"name": "pe", "addressPrefix": "10.0.1.0/24"}],
                },
            },
            {"subnetName": "pe"},
            "give exactly one of virtualNetworkId",
        ),
        (None, {"subnetName": "pe"}, "private endpoints need amlws:network"),
    ],
)
def test_network_settings_azure_would_refuse_are_refused_before_anything_is_declared(network, endpoints, problem):
    from amlws.preview import PreviewError
    from test_stacks import BASE, preview_config

    config = {**BASE, "workspaces": [{"project": "churn", "privateEndpoints": endpoints}]}
    if network is not None:
        config["network"] = network
    with pytest.raises(PreviewError) as err:
        preview_config(config)
    assert problem in str(err.value) and err.value.registrations == []


def test_prod_workspaces_reach_the_closed_ml_registry_through_an_approved_outbound_rule(stack_preview):
    result = stack_preview("prod")
    registry = one(result, "machinelearningservices:Registry")
    grants = {r.name: inputs(r) for r in approver_grants(result)}
    for ws in by_type(result, "machinelearningservices:Workspace"):
        project = ws.name.removesuffix("-mlw")
        rule = inputs(ws)["managedNetwork"]["outboundRules"]["ml-registry"]
        assert rule["type"] == "PrivateEndpoint" and rule["destination"]["subresourceTarget"] == "amlregistry"
        assert rule["destination"]["serviceResourceId"] == registry.id
        grant = grants[f"{project}-rule-ml-registry-pe-approver"]
        # The approver is the identity Azure ML uses: prod's workspaces have a primary user-assigned identity only.
        primary = next(
            r
            for r in by_type(result, "managedidentity:UserAssignedIdentity")
            if r.id == inputs(ws)["primaryUserAssignedIdentity"]
        )
        assert grant["scope"] == registry.id and grant["principalId"] == primary.outputs["principalId"]
    assert grants["churn-datastore-churn-lake-pe-approver"]["scope"].endswith(
        "/storageAccounts/"
        + next(
            inputs(r)["accountName"]
            for r in by_type(result, "storage:StorageAccount")
            if r.name == "churn-churn-lake-st"
        )
    )


def test_only_outbound_targets_marked_approve_get_the_approver_grant():
    target = f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stother"
    rules = {
        "owned": {
            "type": "PrivateEndpoint",
            "service_resource_id": target,
            "subresource_target": "blob",
            "approve": True,
        },
        "theirs": {"type": "PrivateEndpoint", "service_resource_id": target + "2", "subresource_target": "blob"},
    }
    result = run(
        workspace(managed_network_isolation_mode="AllowInternetOutbound", managed_network_outbound_rules=rules)
    )
    assert [inputs(g)["scope"] for g in approver_grants(result)] == [target]
    sent = inputs(one(result, "machinelearningservices:Workspace"))["managedNetwork"]["outboundRules"]["owned"]
    assert "approve" not in sent and sent["destination"]["serviceResourceId"] == target
