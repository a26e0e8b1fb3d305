"""Diagnostic settings: a resource's logs and metrics sent to the Log Analytics workspace.

Azure Policy afe0c3be ("Resource logs in Azure Machine Learning Workspaces should be enabled") and
the matching Key Vault and Storage policies look for a diagnostic setting on the resource itself;
for a storage account the logs live on its blob and file services (`<account>/blobServices/default`).
`categoryGroup: allLogs` keeps the setting correct when Azure adds log categories.
"""


import pulumi
from pulumi_azure_native import monitor

from ._common import child

SETTING_NAME = "send-to-log-analytics"


def send_diagnostics(
    parent: pulumi.Resource, name: str, resource_uri: pulumi.Input[str], workspace_id: pulumi.Input[str], *, metrics_only: bool = False
) -> monitor.DiagnosticSetting:
    return monitor.DiagnosticSetting(
        name,
        name=SETTING_NAME,
        resource_uri=resource_uri,
        workspace_id=workspace_id,
        logs=None if metrics_only else [monitor.DiagnosticsLogSettingsArgs(category_group="allLogs", enabled=True)],
        metrics=[monitor.DiagnosticsMetricSettingsArgs(category="AllMetrics", enabled=True)],
        opts=child(parent),
    )
