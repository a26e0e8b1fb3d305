"""Diagnostic settings: a resource's logs and metrics sent to the Log Analytics workspace.

Azure Policy afe0c3be ("Resource logs in Azure Machine Learning Workspaces should be enabled") and
the matching Key Vault and Storage policies look for a diagnostic setting on the resource itself;
for a storage account the logs live on its blob and file services (`<account>/blobServices/default`).
`categoryGroup: allLogs` keeps the setting correct when Azure adds log categories.

Metrics: most resources take `AllMetrics`. A storage account's blob and file services refuse it ("Metric
category 'AllMetrics' is not supported", Azure/azure-powershell#6520) and name their own categories,
`Transaction` and `Capacity`; `Capacity` has since been refused on the services too
(Azure/terraform-azurerm-avm-res-storage-storageaccount#322), so they send `Transaction` only.
"""

import pulumi
from pulumi_azure_native import monitor

from ._common import child

SETTING_NAME = "send-to-log-analytics"
ALL_METRICS = ("AllMetrics",)
STORAGE_SERVICE_METRICS = ("Transaction",)


def send_diagnostics(
    parent: pulumi.Resource,
    name: str,
    resource_uri: pulumi.Input[str],
    workspace_id: pulumi.Input[str],
    *,
    metrics_only: bool = False,
    metric_categories: tuple[str, ...] = ALL_METRICS,
) -> monitor.DiagnosticSetting:
    return monitor.DiagnosticSetting(
        name,
        name=SETTING_NAME,
        resource_uri=resource_uri,
        workspace_id=workspace_id,
        logs=None if metrics_only else [monitor.DiagnosticsLogSettingsArgs(category_group="allLogs", enabled=True)],
        metrics=[
            monitor.DiagnosticsMetricSettingsArgs(category=category, enabled=True) for category in metric_categories
        ],
        opts=child(parent),
    )
