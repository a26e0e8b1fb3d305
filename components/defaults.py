"""Every default a component applies to a setting the caller leaves out, written once.

The components, the stack config models (stacks/config) and the Args docstrings (which the generated
reference is built from; tests/test_schema.py checks that each docstring naming a default agrees with
the constant here) all read these.
"""

# Storage account (workspace storage and datastore accounts). Secure by default, as the Azure Verified Modules
# are: zone-redundant, no public network access, firewall default Deny. Open is a setting the caller writes down.
STORAGE_SKU_NAME = "Standard_ZRS"
STORAGE_KIND = "StorageV2"
STORAGE_PUBLIC_NETWORK_ACCESS = "Disabled"
STORAGE_NETWORK_DEFAULT_ACTION = "Deny"

# Key vault
KEY_VAULT_SKU_NAME = "standard"
KEY_VAULT_SOFT_DELETE_RETENTION_IN_DAYS = 90  # also Azure's maximum (7 to 90)
KEY_VAULT_PUBLIC_NETWORK_ACCESS = "Disabled"
KEY_VAULT_NETWORK_DEFAULT_ACTION = "Deny"

# Workspace: reached through private endpoints (the managed network's or the client's), outbound approved only
# (avm/res/machine-learning-services/workspace; Azure Policy 438c38d2 and 6ddb1705).
WORKSPACE_PUBLIC_NETWORK_ACCESS = "Disabled"
WORKSPACE_ISOLATION_MODE = "AllowOnlyApprovedOutbound"

# Log Analytics workspace
LOG_ANALYTICS_RETENTION_IN_DAYS = 30  # also the minimum Log Analytics accepts (30 to 730)
# `publicNetworkAccessForIngestion/ForQuery` of Log Analytics and Application Insights: Azure's own default (the
# operationalinsights and applicationinsights specs), kept as it was.
MONITORING_PUBLIC_NETWORK_ACCESS = "Enabled"

# Container registry: Basic, which cannot refuse public network access (only Premium can: `publicNetworkAccess`
# Disabled needs Premium, checked by the registry's validation); close it by asking for Premium and Disabled.
CONTAINER_REGISTRY_SKU_NAME = "Basic"
CONTAINER_REGISTRY_PUBLIC_NETWORK_ACCESS = "Enabled"

# Azure ML registry (shared models and environments): reached through private endpoints and the workspaces'
# managed-network rules, like the workspace itself (avm/res/machine-learning-services/workspace; Azure Policy
# 438c38d2's rationale). Open is a setting the caller writes down.
ML_REGISTRY_PUBLIC_NETWORK_ACCESS = "Disabled"

# Compute instances: no public SSH port
COMPUTE_INSTANCE_SSH_PUBLIC_ACCESS = "Disabled"

# Compute clusters: scale to zero (CKV_AZURE_150) and release idle nodes after two minutes
CLUSTER_MIN_NODE_COUNT = 0
CLUSTER_VM_PRIORITY = "Dedicated"
CLUSTER_NODE_IDLE_TIME_BEFORE_SCALE_DOWN = "PT120S"

# Customer-managed key
CMK_KEY_SIZE = 3072
