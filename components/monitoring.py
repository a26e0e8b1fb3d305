"""Workspace-based Application Insights with its Log Analytics workspace, or existing ones by ID.

Classic (non-workspace-based) Application Insights was retired on 2024-02-29, so the component only
ever creates the workspace-based kind (`ingestionMode: LogAnalytics`, `workspaceResourceId` set).
"""

from typing import Any, Mapping, NotRequired, Optional, TypedDict

import pulumi
from pulumi_azure_native import applicationinsights, operationalinsights

from amlws_rules.naming import APPLICATION_INSIGHTS, LOG_ANALYTICS, hyphenated_name

from . import defaults
from .schema import check_component_args
from ._common import ComponentInputError, check_name, child, keep_earlier_name, required, token
from .role_assignments import RoleAssignmentSettings, declare_own_role_assignments, own_role_assignments
from .lookups import Lookups, check_when_known, lookup_existing

APP_INSIGHTS_TYPE = "Microsoft.Insights/components"
LOG_ANALYTICS_TYPE = "Microsoft.OperationalInsights/workspaces"


class ExistingMonitoringFacts(TypedDict):
    """What the caller already knows of the resources behind existing IDs given as Outputs."""

    exist: bool
    """The resources exist by the time the workspace is created (the caller declared them): no lookup."""


class WorkspaceMonitoringArgs(TypedDict):
    """Inputs of WorkspaceMonitoring: existing IDs, or the settings of new resources."""

    resource_group_name: NotRequired[pulumi.Input[str]]
    """Resource group of new resources (required unless both existing IDs are set)."""
    location: NotRequired[pulumi.Input[str]]
    """Azure region of new resources."""
    existing_application_insights_id: NotRequired[pulumi.Input[str]]
    """Resource ID of an existing workspace-based Application Insights component."""
    existing_log_analytics_workspace_id: NotRequired[pulumi.Input[str]]
    """Resource ID of an existing Log Analytics workspace (new App Insights is attached to it)."""
    log_analytics_workspace_name: NotRequired[str]
    """`workspaceName` of a new Log Analytics workspace (4-63 letters, digits, hyphens); by default `log-<name>`."""
    application_insights_name: NotRequired[str]
    """`resourceName` of a new Application Insights component; by default `appi-<name>`."""
    existing_facts: NotRequired[ExistingMonitoringFacts]
    (
        "For existing IDs given as Outputs (a StackReference, shared monitoring): without it, each is looked up once "
        "its value is known, before the workspace is created."
    )
    retention_in_days: NotRequired[int]
    """`retentionInDays` of the Log Analytics workspace, 30 to 730, default 30."""
    disable_local_auth: NotRequired[bool]
    """`DisableLocalAuth` of Application Insights, default true: ingestion needs Microsoft Entra ID."""
    public_network_access: NotRequired[str]
    """`publicNetworkAccessForIngestion/ForQuery`: `Enabled` (default) or `Disabled`."""
    tags: NotRequired[dict[str, str]]
    """Tags for new resources."""
    protect: NotRequired[bool]
    (
        "Protect new resources from deletion: deleting the App Insights a workspace uses can only be undone by "
        "recreating the workspace."
    )
    role_assignments: NotRequired[list[RoleAssignmentSettings]]
    """AVM `roleAssignments` on the created Application Insights (not with `existing_application_insights_id`)."""


def has_log_analytics(monitoring: Mapping[str, Any] | None) -> bool:
    """A Log Analytics workspace is created, or given: all but the case of an existing App Insights alone."""
    monitoring = monitoring or {}
    return bool(monitoring.get("existing_log_analytics_workspace_id")) or not monitoring.get(
        "existing_application_insights_id"
    )


def validate_monitoring_args(
    args: WorkspaceMonitoringArgs, component: str = "WorkspaceMonitoring", lookups: Lookups | None = None
) -> None:
    """Everything Azure would refuse, before any resource is declared. Existing string IDs are looked
    up; Output IDs are looked up once known (`checked_monitoring_id`), unless `existing_facts` vouch for them."""
    ai_id = args.get("existing_application_insights_id")
    law_id = args.get("existing_log_analytics_workspace_id")
    for setting, value, kind, invoke in (
        (
            "monitoring.existing_application_insights_id",
            ai_id,
            APP_INSIGHTS_TYPE,
            lambda n, rg: applicationinsights.get_component(resource_name=n, resource_group_name=rg).id,
        ),
        (
            "monitoring.existing_log_analytics_workspace_id",
            law_id,
            LOG_ANALYTICS_TYPE,
            lambda n, rg: operationalinsights.get_workspace(workspace_name=n, resource_group_name=rg).id,
        ),
    ):
        if isinstance(value, str) and value:
            lookup_existing(component, setting, value, kind, invoke, lookups)
    if not (ai_id and law_id) and "resource_group_name" not in args:
        raise ComponentInputError(component, "resource_group_name", None, "required unless existing IDs are given")
    check_name(
        component, "monitoring.log_analytics_workspace_name", LOG_ANALYTICS, args.get("log_analytics_workspace_name")
    )
    check_name(
        component, "monitoring.application_insights_name", APPLICATION_INSIGHTS, args.get("application_insights_name")
    )
    retention = args.get("retention_in_days", defaults.LOG_ANALYTICS_RETENTION_IN_DAYS)
    if not 30 <= retention <= 730:
        raise ComponentInputError(
            component, "monitoring.retention_in_days", retention, "Log Analytics accepts 30 to 730 days"
        )


def checked_monitoring_id(
    args: WorkspaceMonitoringArgs, key: str, component: str = "WorkspaceMonitoring"
) -> pulumi.Output[Any]:
    """An existing ID as the workspace should use it: as given when it is a string (looked up already)
    or vouched for; otherwise resolved once the resource is found (a missing one fails the run)."""
    value = args.get(key)
    if isinstance(value, str) or value is None or (args.get("existing_facts") or {}).get("exist"):
        return pulumi.Output.from_input(value)
    if key == "existing_application_insights_id":
        arm_type, fetch = (
            APP_INSIGHTS_TYPE,
            lambda n, rg: applicationinsights.get_component_output(resource_name=n, resource_group_name=rg),
        )
    else:
        arm_type, fetch = (
            LOG_ANALYTICS_TYPE,
            lambda n, rg: operationalinsights.get_workspace_output(workspace_name=n, resource_group_name=rg),
        )
    return check_when_known(component, f"monitoring.{key}", value, arm_type, fetch, lambda resource_id, _: resource_id)


class WorkspaceMonitoring(pulumi.ComponentResource):
    """Log Analytics plus workspace-based Application Insights for an Azure ML workspace."""

    application_insights_id: pulumi.Output[str]
    """Resource ID of the Application Insights component."""
    log_analytics_workspace_id: pulumi.Output[Optional[str]]
    """Resource ID of the Log Analytics workspace (None when only an existing App Insights was given)."""

    def __init__(
        self,
        name: str,
        args: WorkspaceMonitoringArgs,
        opts: Optional[pulumi.ResourceOptions] = None,
        *,
        validated: bool = False,
    ):
        # `validated`: the section was checked already with its parent's Args (MachineLearningWorkspace's plan,
        # SharedWorkspaceResources' section plans), so it is not again.
        if not validated:
            check_component_args("WorkspaceMonitoring", name, args, WorkspaceMonitoringArgs)
            validate_monitoring_args(args)
        ai_id = args.get("existing_application_insights_id")
        law_id = args.get("existing_log_analytics_workspace_id")
        roles = own_role_assignments("WorkspaceMonitoring", args, "existing_application_insights_id")
        super().__init__(token("WorkspaceMonitoring"), name, None, opts)
        protect = args.get("protect", False)
        access = args.get("public_network_access", defaults.MONITORING_PUBLIC_NETWORK_ACCESS)

        law_output: pulumi.Output[Optional[str]]
        if law_id:
            law_output = checked_monitoring_id(args, "existing_log_analytics_workspace_id")
        elif ai_id:
            law_output = pulumi.Output.from_input(None)
        else:
            law = operationalinsights.Workspace(
                f"{name}-log",
                workspace_name=args.get("log_analytics_workspace_name")
                or hyphenated_name(LOG_ANALYTICS, "log", [name]),
                resource_group_name=required(args, "resource_group_name", "WorkspaceMonitoring"),
                location=args.get("location"),
                sku=operationalinsights.WorkspaceSkuArgs(name="PerGB2018"),
                retention_in_days=args.get("retention_in_days", defaults.LOG_ANALYTICS_RETENTION_IN_DAYS),
                public_network_access_for_ingestion=access,
                public_network_access_for_query=access,
                features=operationalinsights.WorkspaceFeaturesArgs(
                    disable_local_auth=True
                ),  # Entra-only ingestion (Azure Policy e15effd4)
                tags=args.get("tags"),
                opts=child(
                    self,
                    protect=protect,
                    ignore_changes=keep_earlier_name(args.get("log_analytics_workspace_name"), "workspaceName"),
                ),
            )
            law_output = law.id
        if ai_id:
            self.application_insights_id = checked_monitoring_id(args, "existing_application_insights_id")
        else:
            insights = applicationinsights.Component(
                f"{name}-appi",
                resource_name_=args.get("application_insights_name")
                or hyphenated_name(APPLICATION_INSIGHTS, "appi", [name]),
                resource_group_name=required(args, "resource_group_name", "WorkspaceMonitoring"),
                location=args.get("location"),
                kind="web",
                application_type="web",
                ingestion_mode="LogAnalytics",
                workspace_resource_id=law_output,
                disable_local_auth=args.get("disable_local_auth", True),
                public_network_access_for_ingestion=access,
                public_network_access_for_query=access,
                tags=args.get("tags"),
                opts=child(
                    self,
                    protect=protect,
                    ignore_changes=keep_earlier_name(args.get("application_insights_name"), "resourceName"),
                ),
            )
            self.application_insights_id = insights.id
        self.log_analytics_workspace_id = law_output
        declare_own_role_assignments(roles, self, name, self.application_insights_id)
        self.register_outputs(
            {
                "application_insights_id": self.application_insights_id,
                "log_analytics_workspace_id": self.log_analytics_workspace_id,
            }
        )
