"""Every policy, called directly: where it fires and where it stays silent."""

import pytest
from pulumi_policy import ResourceValidationPolicy

from policy_harness import ALL_POLICIES, BY_NAME, CANT_RUN, UNKNOWN, check_resource, check_stack, resource

WS = "azure-native:machinelearningservices:Workspace"
WS_VERSIONED = "azure-native:machinelearningservices/v20240401:Workspace"
COMPUTE = "azure-native:machinelearningservices:Compute"
ST = "azure-native:storage:StorageAccount"
KV = "azure-native:keyvault:Vault"
ACR = "azure-native:containerregistry:Registry"
AI = "azure-native:applicationinsights:Component"
TAGS = {"project": "p", "environment": "e", "owner": "o"}


def instance(**props):
    return {
        "properties": {
            "computeType": "ComputeInstance",
            "disableLocalAuth": True,
            "properties": {"vmSize": "Standard_DS3_v2", "idleTimeBeforeShutdown": "PT30M", **props},
        }
    }


def cluster(**scale):
    return {
        "properties": {
            "computeType": "AmlCompute",
            "disableLocalAuth": True,
            "properties": {
                "vmSize": "Standard_DS3_v2",
                "scaleSettings": {"minNodeCount": 0, "maxNodeCount": 4, **scale},
            },
        }
    }


BLOB = "azure-native:storage:BlobContainer"
LAW = "azure-native:operationalinsights:Workspace"
KEY = "azure-native:keyvault:Key"
SECRET = "azure-native:keyvault:Secret"
NET_OK = {"defaultAction": "Deny", "bypass": "AzureServices"}
ROTATE = {
    "attributes": {"expires": 1900000000},
    "rotationPolicy": {"lifetimeActions": [{"action": {"type": "rotate"}, "trigger": {"timeBeforeExpiry": "P30D"}}]},
}
OWNER = {"permissions": [{"actions": ["*"]}], "assignableScopes": ["/subscriptions/s"]}

# The policies added for parity with Azure Policy, Checkov and PSRule.
COVERAGE_CASES = [
    ("storage-public-network-access-disabled", ST, {}, {"publicNetworkAccess": "Disabled"}, None),
    (
        "storage-network-default-deny",
        ST,
        {"networkRuleSet": {"defaultAction": "Allow"}},
        {"networkRuleSet": NET_OK},
        None,
    ),
    (
        "storage-network-virtual-network-rules-only",
        ST,
        {"networkRuleSet": {**NET_OK, "ipRules": [{"iPAddressOrRange": "1.2.3.4"}]}},
        {"networkRuleSet": NET_OK},
        None,
    ),
    (
        "storage-trusted-microsoft-services",
        ST,
        {"networkRuleSet": {"defaultAction": "Deny", "bypass": "None"}},
        {"networkRuleSet": NET_OK},
        None,
    ),
    ("storage-cross-tenant-replication-disabled", ST, {"allowCrossTenantReplication": True}, {}, None),
    (
        "storage-infrastructure-encryption",
        ST,
        {"encryption": {}},
        {"encryption": {"requireInfrastructureEncryption": True}},
        None,
    ),
    (
        "storage-sas-expiration-policy",
        ST,
        {},
        {"sasPolicy": {"sasExpirationPeriod": "7.00:00:00", "expirationAction": "Block"}},
        None,
    ),
    (
        "storage-sas-expiration-policy",
        ST,
        {"sasPolicy": {"sasExpirationPeriod": "7.00:00:01", "expirationAction": "Block"}},
        {"sasPolicy": {"sasExpirationPeriod": "1.00:00:00", "expirationAction": "block"}},
        None,
    ),
    (
        "storage-sas-expiration-policy",
        ST,
        {"sasPolicy": {"sasExpirationPeriod": "1.00:00:00", "expirationAction": "Log"}},
        {"sasPolicy": {"sasExpirationPeriod": "2.00:00:00", "expirationAction": "Block"}},
        {"maxSasExpirationDays": 2.0},
    ),
    (
        "storage-customer-managed-key",
        ST,
        {"encryption": {"keySource": "Microsoft.Storage"}},
        {
            "encryption": {
                "keySource": "Microsoft.Keyvault",
                "services": {"queue": {"keyType": "Account"}, "table": {"keyType": "Account"}},
            }
        },
        {"required": True},
    ),
    (
        "storage-geo-redundant",
        ST,
        {"sku": {"name": "Standard_ZRS"}},
        {"sku": {"name": "standard_gzrs"}},
        {"required": True},
    ),
    ("storage-zone-redundant", ST, {"sku": {"name": "Standard_LRS"}}, {"sku": {"name": "Standard_GZRS"}}, None),
    ("storage-blob-container-private", BLOB, {"publicAccess": "Blob"}, {}, None),
    ("key-vault-firewall", KV, {"properties": {}}, {"properties": {"networkAcls": {"defaultAction": "deny"}}}, None),
    ("key-vault-key-expiry", KEY, {"properties": {"kty": "RSA"}}, {"properties": ROTATE}, {"required": True}),
    (
        "key-vault-key-hsm-backed",
        KEY,
        {"properties": {"kty": "RSA"}},
        {"properties": {"kty": "RSA-HSM"}},
        {"required": True},
    ),
    (
        "key-vault-secret-expiry-and-content-type",
        SECRET,
        {"properties": {"value": "x"}},
        {"properties": {"contentType": "text/plain", "attributes": {"expires": 1900000000}}},
        None,
    ),
    ("resource-names-valid", ST, {"accountName": "St-Bad"}, {"accountName": "stgood01"}, None),
    ("resource-names-valid", ACR, {"registryName": "acr"}, {"registryName": "acrcontosoprod"}, None),
    ("resource-names-valid", KV, {"vaultName": "kv_bad"}, {"vaultName": "kv-contoso-prod"}, None),
    ("resource-names-valid", WS, {"workspaceName": "-ws"}, {"workspaceName": "mlw-churn-prod"}, None),
    ("resource-names-valid", KEY, {"keyName": "cmk key"}, {"keyName": "cmk-churn"}, None),
    ("acr-customer-managed-key", ACR, {}, {"encryption": {"status": "enabled"}}, {"required": True}),
    (
        "acr-arm-audience-tokens-disabled",
        ACR,
        {},
        {"policies": {"azureADAuthenticationAsArmPolicy": {"status": "disabled"}}},
        None,
    ),
    (
        "acr-exports-disabled",
        ACR,
        {"publicNetworkAccess": "Disabled"},
        {"publicNetworkAccess": "Disabled", "policies": {"exportPolicy": {"status": "disabled"}}},
        None,
    ),
    (
        "acr-exports-disabled",
        ACR,
        {"policies": {"exportPolicy": {"status": "disabled"}}},
        {"publicNetworkAccess": "disabled", "policies": {"exportPolicy": {"status": "Disabled"}}},
        None,
    ),
    ("acr-sku", ACR, {"sku": {"name": "Basic"}}, {"sku": {"name": "Premium"}}, None),
    (
        "acr-sku",
        ACR,
        {"sku": {"name": "Basic"}},
        {"sku": {"name": "Standard"}},
        {"allowedSkus": ["Standard", "Premium"]},
    ),
    ("acr-zone-redundancy", ACR, {"zoneRedundancy": "Disabled"}, {"zoneRedundancy": "Enabled"}, None),
    (
        "acr-retention-policy",
        ACR,
        {"sku": {"name": "Premium"}},
        {"sku": {"name": "Premium"}, "policies": {"retentionPolicy": {"status": "enabled", "days": 7}}},
        None,
    ),
    (
        "acr-retention-policy",
        ACR,
        {"sku": {"name": "Premium"}, "policies": {"retentionPolicy": {"status": "disabled"}}},
        {"sku": {"name": "Basic"}},
        None,
    ),
    (
        "acr-repository-tokens-disabled",
        "azure-native:containerregistry:Token",
        {"status": "enabled"},
        {"status": "disabled"},
        None,
    ),
    (
        "acr-no-cache-rules",
        "azure-native:containerregistry:CacheRule",
        {"sourceRepository": "docker.io/library/python"},
        None,
        None,
    ),
    (
        "application-insights-public-network-access",
        AI,
        {"publicNetworkAccessForIngestion": "Enabled"},
        {"publicNetworkAccessForIngestion": "Disabled", "publicNetworkAccessForQuery": "Disabled"},
        {"required": True},
    ),
    ("log-analytics-local-auth-disabled", LAW, {}, {"features": {"disableLocalAuth": True}}, None),
    (
        "log-analytics-public-network-access",
        LAW,
        {"publicNetworkAccessForQuery": "Disabled"},
        {"publicNetworkAccessForIngestion": "Disabled", "publicNetworkAccessForQuery": "Disabled"},
        {"required": True},
    ),
    (
        "log-analytics-replication",
        LAW,
        {},
        {"replication": {"enabled": True, "location": "northeurope"}},
        {"required": True},
    ),
    (
        "workspace-managed-network-isolation-mode",
        WS,
        {"managedNetwork": {"isolationMode": "AllowInternetOutbound"}},
        {"managedNetwork": {"isolationMode": "allowOnlyApprovedOutbound"}},
        None,
    ),
    (
        "workspace-managed-network-isolation-mode",
        WS,
        {"managedNetwork": {"isolationMode": "AllowOnlyApprovedOutbound"}},
        {"managedNetwork": {"isolationMode": "AllowInternetOutbound"}},
        {"isolationMode": "AllowInternetOutbound"},
    ),
    (
        "allowed-locations",
        ST,
        {"location": "eastus"},
        {"location": "West Europe"},
        {"allowedLocations": ["westeurope"]},
    ),
    (
        "custom-role-not-subscription-owner",
        "azure-native:authorization:RoleDefinition",
        OWNER,
        {**OWNER, "assignableScopes": ["/subscriptions/s/resourceGroups/rg"]},
        None,
    ),
]

# (policy, type, firing props, silent props, config)
CASES = [
    (
        "workspace-public-network-access-disabled",
        WS,
        {"publicNetworkAccess": "Enabled"},
        {"publicNetworkAccess": "Disabled"},
        None,
    ),
    ("workspace-public-network-access-disabled", WS_VERSIONED, {}, {"publicNetworkAccess": "Disabled"}, None),
    ("workspace-cmk-encryption", WS, {}, {"encryption": {"status": "Enabled"}}, {"required": True}),
    (
        "workspace-user-assigned-identity",
        WS,
        {"identity": {"type": "SystemAssigned"}},
        {"identity": {"type": "SystemAssigned,UserAssigned"}, "primaryUserAssignedIdentity": "/id"},
        {"required": True},
    ),
    (
        "workspace-user-assigned-identity",
        WS,
        {"identity": {"type": "SystemAssigned,UserAssigned"}},
        {"identity": {"type": "SystemAssigned,UserAssigned"}, "primaryUserAssignedIdentity": "/id"},
        {"required": True},
    ),
    (
        "workspace-user-assigned-identity",
        WS,
        {"identity": {"type": "SystemAssigned"}},
        {"identity": {"type": "SystemAssigned,UserAssigned"}},
        {"required": True, "requirePrimaryIdentity": False},
    ),
    # requireUserAssignedOnly: PSRule Azure.ML.UserManagedIdentity (Azure/PSRule.Rules.Azure
    # .../rules/Azure.ML.Rule.yaml): identity.type equals UserAssigned (so not SystemAssigned,UserAssigned),
    # userAssignedIdentities exists, primary has a value.
    (
        "workspace-user-assigned-identity",
        WS,
        {
            "identity": {"type": "SystemAssigned,UserAssigned", "userAssignedIdentities": ["/id"]},
            "primaryUserAssignedIdentity": "/id",
        },
        {"identity": {"type": "userAssigned", "userAssignedIdentities": ["/id"]}, "primaryUserAssignedIdentity": "/id"},
        {"required": True, "requireUserAssignedOnly": True},
    ),
    (
        "workspace-user-assigned-identity",
        WS,
        {"identity": {"type": "UserAssigned"}, "primaryUserAssignedIdentity": "/id"},
        {
            "identity": {"type": "UserAssigned", "userAssignedIdentities": {"/id": {}}},
            "primaryUserAssignedIdentity": "/id",
        },
        {"required": True, "requireUserAssignedOnly": True},
    ),
    (
        "workspace-user-assigned-identity",
        WS,
        {"identity": {"type": "UserAssigned", "userAssignedIdentities": ["/id"]}},
        {"identity": {"type": "UserAssigned", "userAssignedIdentities": ["/id"]}, "primaryUserAssignedIdentity": "/id"},
        {"required": True, "requireUserAssignedOnly": True, "requirePrimaryIdentity": False},
    ),
    (
        "workspace-public-network-access-disabled",
        WS,
        {"publicNetworkAccess": "Disabled", "allowPublicAccessWhenBehindVnet": True},
        {"publicNetworkAccess": "Disabled", "allowPublicAccessWhenBehindVnet": False},
        None,
    ),
    ("key-vault-soft-delete", KV, {"properties": {}}, {"properties": {"enableSoftDelete": True}}, None),
    (
        "compute-local-auth-disabled",
        COMPUTE,
        {"properties": {"computeType": "AmlCompute", "disableLocalAuth": False}},
        cluster(),
        None,
    ),
    (
        "compute-instance-idle-shutdown",
        COMPUTE,
        instance(idleTimeBeforeShutdown="P1D"),
        instance(idleTimeBeforeShutdown="PT2H"),
        {"maxIdleMinutes": 120.0},
    ),
    ("compute-instance-idle-shutdown", COMPUTE, instance(idleTimeBeforeShutdown=None), cluster(), None),
    ("compute-cluster-scale", COMPUTE, cluster(minNodeCount=1), cluster(), None),
    ("compute-cluster-scale", COMPUTE, cluster(maxNodeCount=50), cluster(maxNodeCount=10), {"maxNodeCount": 10.0}),
    ("compute-vm-size-allowed", COMPUTE, cluster(), cluster(), None),
    (
        "compute-in-subnet",
        COMPUTE,
        cluster(),
        {"properties": {"computeType": "AmlCompute", "properties": {"subnet": {"id": "/x/subnets/s"}}}},
        {"required": True},
    ),
    ("acr-admin-user-disabled", ACR, {"adminUserEnabled": True}, {"adminUserEnabled": False}, None),
    ("acr-anonymous-pull-disabled", ACR, {"anonymousPullEnabled": True}, {"anonymousPullEnabled": False}, None),
    (
        "acr-public-network-access-disabled",
        ACR,
        {"publicNetworkAccess": "Enabled"},
        {"publicNetworkAccess": "Disabled"},
        None,
    ),
    ("storage-https-only", ST, {"enableHttpsTrafficOnly": False}, {"enableHttpsTrafficOnly": True}, None),
    ("storage-minimum-tls-1-2", ST, {"minimumTlsVersion": "TLS1_0"}, {"minimumTlsVersion": "TLS1_2"}, None),
    ("storage-no-public-blob-access", ST, {"allowBlobPublicAccess": True}, {"allowBlobPublicAccess": False}, None),
    ("storage-shared-key-access-disabled", ST, {}, {"allowSharedKeyAccess": False}, None),
    (
        "key-vault-soft-delete",
        KV,
        {"properties": {"enableSoftDelete": False}},
        {"properties": {"enableSoftDelete": True}},
        None,
    ),
    ("key-vault-purge-protection", KV, {"properties": {}}, {"properties": {"enablePurgeProtection": True}}, None),
    (
        "key-vault-rbac-authorization",
        KV,
        {"properties": {"enableRbacAuthorization": False}},
        {"properties": {"enableRbacAuthorization": True}},
        None,
    ),
    (
        "key-vault-public-network-access-disabled",
        KV,
        {"properties": {"publicNetworkAccess": "Enabled"}},
        {"properties": {"publicNetworkAccess": "Disabled"}},
        None,
    ),
    ("application-insights-local-auth-disabled", AI, {"disableLocalAuth": False}, {"disableLocalAuth": True}, None),
    (
        "application-insights-workspace-based",
        AI,
        {"ingestionMode": "ApplicationInsights"},
        {"ingestionMode": "LogAnalytics", "workspaceResourceId": "/x"},
        None,
    ),
    ("required-tags", ST, {"tags": {"project": "p"}}, {"tags": TAGS}, None),
    *COVERAGE_CASES,
    ("required-tags", COMPUTE, {}, {"tags": {"cc": "1"}}, {"requiredTags": ["cc"]}),
]


@pytest.mark.parametrize("policy, typ, firing, silent, config", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_resource_policy_fires_and_stays_silent(policy, typ, firing, silent, config):
    if policy == "compute-vm-size-allowed":
        assert check_resource(policy, typ, firing, {"allowedVmSizes": ["Standard_D4s_v3"]})
        assert check_resource(policy, typ, silent, {"allowedVmSizes": ["Standard_DS3_v2"]}) == []
        assert check_resource(policy, typ, silent) == []  # default: no restriction
        return
    assert check_resource(policy, typ, firing, config), "should fire"
    if silent is not None:  # None: the policy fires on every resource of its type
        assert check_resource(policy, typ, silent, config) == [], "should stay silent"


def test_user_assigned_only_is_off_by_default_so_existing_configs_keep_their_verdicts():
    both = {
        "identity": {"type": "SystemAssigned,UserAssigned", "userAssignedIdentities": ["/id"]},
        "primaryUserAssignedIdentity": "/id",
    }
    assert check_resource("workspace-user-assigned-identity", WS, both, {"required": True}) == []
    assert (
        check_resource(
            "workspace-user-assigned-identity", WS, both, {"required": True, "requireUserAssignedOnly": False}
        )
        == []
    )
    assert check_resource(
        "workspace-user-assigned-identity", WS, both, {"required": True, "requireUserAssignedOnly": True}
    ) == [
        "identity.type is 'SystemAssigned,UserAssigned', not "
        "'UserAssigned': the workspace also has a system-assigned identity"
    ]
    assert (
        check_resource(
            "workspace-user-assigned-identity",
            WS,
            {"identity": {"type": "SystemAssigned"}},
            {"requireUserAssignedOnly": True},
        )
        == []
    )  # where required
    schema = BY_NAME["workspace-user-assigned-identity"].config_schema.properties
    assert (
        schema["requireUserAssignedOnly"]["type"] == "boolean" and schema["requireUserAssignedOnly"]["default"] is False
    )


WHERE_REQUIRED = [
    ("workspace-cmk-encryption", WS, {}),
    ("workspace-user-assigned-identity", WS, {}),
    ("compute-in-subnet", COMPUTE, cluster()),
    ("storage-customer-managed-key", ST, {}),
    ("storage-geo-redundant", ST, {"sku": {"name": "Standard_LRS"}}),
    ("key-vault-key-expiry", KEY, {"properties": {}}),
    ("key-vault-key-hsm-backed", KEY, {"properties": {"kty": "RSA"}}),
    ("acr-customer-managed-key", ACR, {}),
    ("application-insights-public-network-access", AI, {}),
    ("log-analytics-public-network-access", LAW, {}),
    ("log-analytics-replication", LAW, {}),
    ("allowed-locations", ST, {"location": "eastus"}),
]


@pytest.mark.parametrize("policy, typ, props", WHERE_REQUIRED, ids=[c[0] for c in WHERE_REQUIRED])
def test_where_required_rules_are_silent_by_default(policy, typ, props):
    assert check_resource(policy, typ, props) == []


def test_resource_policies_ignore_other_resource_types():
    for policy in ALL_POLICIES:
        if isinstance(policy, ResourceValidationPolicy):
            assert check_resource(policy.name, "azure-native:network:VirtualNetwork", {}) == [], policy.name


def test_every_description_names_an_anchor():
    for policy in ALL_POLICIES:
        assert "Anchor" in policy.description, policy.name


def _workspace_with(storage_props, deps=True, **ws_props):
    account = resource(
        ST,
        "st",
        {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st", **storage_props},
    )
    ws = resource(
        WS,
        "ws",
        {
            "storageAccount": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st",
            **ws_props,
        },
    )
    if deps:
        ws.property_dependencies["storageAccount"] = [account]
    return ws, account


@pytest.mark.parametrize(
    "props, quote",
    [
        ({"kind": "BlobStorage", "sku": {"name": "Standard_LRS"}}, "account of type BlobStorage"),
        ({"kind": "StorageV2", "sku": {"name": "Premium_LRS"}}, "premium account (Premium_LRS and Premium_GRS)"),
        ({"kind": "StorageV2", "sku": {"name": "Standard_LRS"}, "isHnsEnabled": True}, "hierarchical namespace"),
    ],
)
@pytest.mark.parametrize("by_dependency", [True, False])
def test_workspace_storage_restrictions_fire_quoting_the_docs(props, quote, by_dependency):
    ws, account = _workspace_with(props, deps=by_dependency)
    [(message, urn)] = check_stack("workspace-storage-documented-restrictions", [ws, account])
    assert quote in message and urn == ws.urn


def test_workspace_storage_is_silent_for_datastore_accounts_beside_compliant_storage():
    ws, account = _workspace_with({"kind": "StorageV2", "sku": {"name": "Standard_LRS"}, "isHnsEnabled": False})
    adls = resource(ST, "adls", {"kind": "StorageV2", "sku": {"name": "Standard_LRS"}, "isHnsEnabled": True})
    premium = resource(ST, "prem", {"kind": "BlockBlobStorage", "sku": {"name": "Premium_LRS"}})
    assert check_stack("workspace-storage-documented-restrictions", [ws, account, adls, premium]) == []


def test_versioned_workspace_token_is_matched_by_the_stack_policy():
    ws, account = _workspace_with({"kind": "BlobStorage"})
    versioned = resource(WS_VERSIONED, "ws", dict(ws.props))
    versioned.property_dependencies["storageAccount"] = [account]
    assert check_stack("workspace-storage-documented-restrictions", [versioned, account])


def test_registry_used_by_a_workspace_must_be_tagged():
    acr = resource(ACR, "acr", {"tags": {"project": "p"}})
    ws = resource(WS, "ws", {})
    ws.property_dependencies["containerRegistry"] = [acr]
    [(message, urn)] = check_stack("workspace-container-registry-tagged", [ws, acr])
    assert "lacks tags environment, owner" in message and urn == acr.urn
    tagged = resource(ACR, "acr", {"tags": TAGS})
    ws.property_dependencies["containerRegistry"] = [tagged]
    assert check_stack("workspace-container-registry-tagged", [ws, tagged]) == []
    unused = resource(ACR, "other", {})
    assert check_stack("workspace-container-registry-tagged", [resource(WS, "ws2", {}), unused]) == []


def test_network_isolation_accepts_managed_network_or_a_private_endpoint():
    policy = "workspace-network-isolation"
    open_ws = resource(
        WS, "ws", {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws"}
    )
    [(message, urn)] = check_stack(policy, [open_ws])
    assert "no private endpoint" in message and urn == open_ws.urn
    assert (
        check_stack(
            policy, [resource(WS_VERSIONED, "ws", {"managedNetwork": {"isolationMode": "AllowOnlyApprovedOutbound"}})]
        )
        == []
    )
    by_id = resource(
        "azure-native:network:PrivateEndpoint",
        "pe",
        {"privateLinkServiceConnections": [{"privateLinkServiceId": open_ws.props["id"].upper()}]},
    )
    assert check_stack(policy, [open_ws, by_id]) == []
    by_dependency = resource("azure-native:network:PrivateEndpoint", "pe", {})
    by_dependency.property_dependencies["privateLinkServiceConnections"] = [open_ws]
    assert check_stack(policy, [open_ws, by_dependency]) == []


VAULT_ID = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv"


def test_cmk_key_vault_needs_purge_protection():
    policy = "workspace-cmk-key-vault-purge-protection"
    ws = resource(WS, "ws", {"encryption": {"status": "Enabled", "keyVaultProperties": {"keyVaultArmId": VAULT_ID}}})
    unprotected = resource(KV, "kv", {"id": VAULT_ID, "properties": {"enableSoftDelete": True}})
    [(message, urn)] = check_stack(policy, [ws, unprotected])
    assert "purge protection" in message and urn == ws.urn
    protected = resource(
        KV, "kv", {"id": VAULT_ID, "properties": {"enablePurgeProtection": True, "enableSoftDelete": True}}
    )
    assert check_stack(policy, [ws, protected]) == []
    by_dependency = resource(WS, "ws", {"encryption": {"status": "Enabled"}})
    by_dependency.property_dependencies["encryption"] = [unprotected]
    assert check_stack(policy, [by_dependency, unprotected])
    assert check_stack(policy, [resource(WS, "plain", {}), unprotected]) == []  # no CMK, no rule


def test_datastore_rules_accept_hns_for_adls_and_refuse_keys():
    policy = "datastore-documented-rules"
    DS = "azure-native:machinelearningservices:Datastore"
    lake = resource(ST, "lake", {"accountName": "lake", "kind": "StorageV2", "isHnsEnabled": True})
    flat = resource(ST, "flat", {"accountName": "flat", "kind": "StorageV2", "isHnsEnabled": False})
    good = resource(
        DS,
        "good",
        {
            "properties": {
                "datastoreType": "AzureDataLakeGen2",
                "accountName": "lake",
                "credentials": {"credentialsType": "None"},
            }
        },
    )
    assert check_stack(policy, [good, lake, flat]) == []
    on_flat = resource(
        DS,
        "onflat",
        {
            "properties": {
                "datastoreType": "AzureDataLakeGen2",
                "accountName": "flat",
                "credentials": {"credentialsType": "None"},
            }
        },
    )
    [(message, _)] = check_stack(policy, [on_flat, lake, flat])
    assert "hierarchical namespace" in message
    keyed = resource(
        DS,
        "keyed",
        {
            "properties": {
                "datastoreType": "AzureBlob",
                "accountName": "flat",
                "credentials": {"credentialsType": "AccountKey"},
            }
        },
    )
    [(message, _)] = check_stack(policy, [keyed, flat])
    assert "identity-based" in message
    premium_blob = resource(
        ST, "premium", {"accountName": "premium", "kind": "BlockBlobStorage", "sku": {"name": "Premium_LRS"}}
    )
    blob = resource(
        DS,
        "blob",
        {
            "properties": {
                "datastoreType": "AzureBlob",
                "accountName": "premium",
                "credentials": {"credentialsType": "None"},
            }
        },
    )
    assert check_stack(policy, [blob, premium_blob]) == []  # premium is fine behind a datastore


def test_workspace_needs_a_diagnostic_setting():
    policy = "workspace-diagnostic-settings"
    ws = resource(
        WS, "ws", {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws"}
    )
    [(message, urn)] = check_stack(policy, [ws])
    assert "no diagnostic setting" in message and urn == ws.urn
    setting = resource(
        "azure-native:monitor:DiagnosticSetting",
        "diag",
        {"resourceUri": ws.props["id"], "workspaceId": "/law", "logs": [{"categoryGroup": "allLogs", "enabled": True}]},
    )
    assert check_stack(policy, [ws, setting]) == []
    no_sink = resource("azure-native:monitor:DiagnosticSetting", "diag", {"resourceUri": ws.props["id"]})
    assert check_stack(policy, [ws, no_sink])


def test_budget_covers_each_workspace_resource_group_where_required():
    policy = "workspace-cost-budget"
    ws = resource(WS, "ws", {"resourceGroupName": "rg-churn-prod"})
    assert check_stack(policy, [ws]) == []  # not required by default
    [(message, _)] = check_stack(policy, [ws], {"required": True})
    assert "rg-churn-prod" in message
    budget = resource(
        "azure-native:consumption:Budget", "b", {"scope": "/subscriptions/s/resourceGroups/rg-churn-prod"}
    )
    assert check_stack(policy, [ws, budget], {"required": True}) == []
    group = resource("azure-native:resources:ResourceGroup", "churn-rg", {"resourceGroupName": "rg-churn-prod"})
    by_dependency = resource("azure-native:consumption:Budget", "b", {})
    by_dependency.property_dependencies["scope"] = [group]
    assert check_stack(policy, [ws, group, by_dependency], {"required": True}) == []


# workspace-managed-network-no-scope-lock. how-to-managed-network, Limitations: "Make sure there are no scope locks on
# the Azure Machine Learning resources and resource group. Internal operations related to managed virtual network might
# be blocked." (MicrosoftDocs/azure-ai-docs articles/machine-learning/how-to-managed-network.md
# @ d675e2ffa1225f61fc3f8eb22b04c935b0dd21df)
# Locks are inherited by everything under their scope (MicrosoftDocs/azure-docs
# articles/azure-resource-manager/management/lock-resources.md, "Lock inheritance",
# @ 221a7c6bc08b54d3e8290225fa02021da93d3fdf).
SUB = "/subscriptions/00000000-0000-0000-0000-000000000000"
WS_ID = f"{SUB}/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/mlw-churn"
BY_SCOPE = "azure-native:authorization:ManagementLockByScope"
AT_RESOURCE = "azure-native:authorization:ManagementLockAtResourceLevel"
AT_GROUP = "azure-native:authorization:ManagementLockAtResourceGroupLevel"
AT_SUBSCRIPTION = "azure-native:authorization:ManagementLockAtSubscriptionLevel"
APPROVED = {"managedNetwork": {"isolationMode": "AllowOnlyApprovedOutbound"}}
ML_LOCK = {
    "resourceGroupName": "rg-ml",
    "resourceProviderNamespace": "Microsoft.MachineLearningServices",
    "level": "CanNotDelete",
}


def _ws(known_id=True, **props):
    return resource(
        WS,
        "ws",
        {"workspaceName": "mlw-churn", "resourceGroupName": "rg-ml", **({"id": WS_ID} if known_id else {}), **props},
        protect=True,
    )


@pytest.mark.parametrize(
    "lock_type, props, covers",
    [
        (BY_SCOPE, {"scope": WS_ID, "level": "CanNotDelete"}, "the workspace"),
        (BY_SCOPE, {"scope": WS_ID.upper() + "/", "level": "canNotDelete"}, "the workspace"),
        (BY_SCOPE, {"scope": f"{WS_ID}/computes/cpu", "level": "ReadOnly"}, "the workspace"),
        (BY_SCOPE, {"scope": f"{SUB}/resourceGroups/RG-ML", "level": "CanNotDelete"}, "its resource group"),
        (BY_SCOPE, {"scope": SUB, "level": "CanNotDelete"}, "its subscription"),
        (AT_GROUP, {"resourceGroupName": "rg-ml", "level": "CanNotDelete"}, "its resource group"),
        (AT_SUBSCRIPTION, {"level": "ReadOnly"}, "its subscription"),
        (
            AT_RESOURCE,
            {**ML_LOCK, "parentResourcePath": "", "resourceType": "workspaces", "resourceName": "mlw-churn"},
            "the workspace",
        ),
        (
            AT_RESOURCE,
            {
                **ML_LOCK,
                "parentResourcePath": "workspaces/mlw-churn",
                "resourceType": "computes",
                "resourceName": "cpu",
            },
            "the workspace",
        ),
    ],
)
@pytest.mark.parametrize("known_id", [True, False])
@pytest.mark.parametrize("mode", ["AllowOnlyApprovedOutbound", "allowInternetOutbound"])
def test_a_lock_on_a_managed_network_workspace_its_group_or_subscription_fires(
    lock_type, props, covers, known_id, mode
):
    lock = resource(lock_type, "lock", props)
    found = check_stack(
        "workspace-managed-network-no-scope-lock", [_ws(known_id, managedNetwork={"isolationMode": mode}), lock]
    )
    assert [urn for _, urn in found] == [lock.urn], found
    assert f"is on {covers} of workspace ws" in found[0][0] and mode in found[0][0]


@pytest.mark.parametrize(
    "lock_type, props",
    [
        (
            BY_SCOPE,
            {
                "scope": f"{SUB}/resourceGroups/rg-ml/providers/Microsoft.Storage/storageAccounts/stchurn",
                "level": "CanNotDelete",
            },
        ),
        (
            BY_SCOPE,
            {
                "scope": f"{SUB}/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/mlw-other",
                "level": "CanNotDelete",
            },
        ),
        (BY_SCOPE, {"scope": f"{SUB}/resourceGroups/rg-data", "level": "CanNotDelete"}),
        (BY_SCOPE, {"scope": WS_ID, "level": "NotSpecified"}),
        (AT_GROUP, {"resourceGroupName": "rg-data", "level": "CanNotDelete"}),
        (AT_RESOURCE, {**ML_LOCK, "parentResourcePath": "", "resourceType": "registries", "resourceName": "mlreg"}),
        (
            AT_RESOURCE,
            {
                **ML_LOCK,
                "resourceProviderNamespace": "Microsoft.Storage",
                "parentResourcePath": "",
                "resourceType": "storageAccounts",
                "resourceName": "mlw-churn",
            },
        ),
        (
            AT_RESOURCE,
            {
                **ML_LOCK,
                "resourceGroupName": "rg-data",
                "parentResourcePath": "",
                "resourceType": "workspaces",
                "resourceName": "mlw-churn",
            },
        ),
    ],
)
@pytest.mark.parametrize("known_id", [True, False])
def test_locks_elsewhere_are_silent(lock_type, props, known_id):
    assert (
        check_stack(
            "workspace-managed-network-no-scope-lock", [_ws(known_id, **APPROVED), resource(lock_type, "lock", props)]
        )
        == []
    )


@pytest.mark.parametrize("network", [{}, {"managedNetwork": {"isolationMode": "Disabled"}}])
def test_a_lock_on_a_workspace_without_a_managed_network_is_silent(network):
    locks = [
        resource(BY_SCOPE, "a", {"scope": WS_ID, "level": "CanNotDelete"}),
        resource(AT_GROUP, "b", {"resourceGroupName": "rg-ml", "level": "CanNotDelete"}),
    ]
    assert check_stack("workspace-managed-network-no-scope-lock", [_ws(**network), *locks]) == []


def test_a_subscription_in_another_subscription_is_silent_once_the_workspace_id_shows_it():
    other = resource(
        BY_SCOPE, "lock", {"scope": "/subscriptions/11111111-1111-1111-1111-111111111111", "level": "CanNotDelete"}
    )
    assert check_stack("workspace-managed-network-no-scope-lock", [_ws(**APPROVED), other]) == []


def test_the_delete_lock_policy_does_not_ask_a_managed_network_workspace_for_a_lock():
    policy = "data-resources-delete-lock"
    assert check_stack(policy, [_ws(**APPROVED)]) == []
    assert check_stack(policy, [_ws(managedNetwork={"isolationMode": "AllowInternetOutbound"})]) == []
    [(message, urn)] = check_stack(policy, [_ws(managedNetwork={"isolationMode": "Disabled"})])
    assert "carries no CanNotDelete management lock" in message and urn.endswith("::ws")
    assert [u for _, u in check_stack(policy, [_ws()])] == [_ws().urn]
    # and the workspace's data resources still need theirs
    account = resource(
        ST, "st", {"id": f"{SUB}/resourceGroups/rg-ml/providers/Microsoft.Storage/storageAccounts/st"}, protect=True
    )
    assert [u for _, u in check_stack(policy, [_ws(**APPROVED), account])] == [account.urn]


def test_an_isolation_mode_not_known_yet_costs_only_that_workspace_verdict():
    unsure = resource(
        WS,
        "ws-unsure",
        {"workspaceName": "mlw-unsure", "resourceGroupName": "rg-ml", "managedNetwork": {"isolationMode": UNKNOWN}},
    )
    lock_unsure = resource(
        BY_SCOPE,
        "lock-unsure",
        {
            "scope": f"{SUB}/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/mlw-unsure",
            "level": "CanNotDelete",
        },
    )
    lock = resource(BY_SCOPE, "lock", {"scope": WS_ID, "level": "CanNotDelete"})
    found = check_stack("workspace-managed-network-no-scope-lock", [unsure, lock_unsure, _ws(**APPROVED), lock])
    assert [urn for _, urn in found] == [lock.urn, None] and found[1][0].startswith(CANT_RUN), found
