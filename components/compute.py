"""Compute instances and clusters of a workspace: typed settings, checked before anything exists.

Secure by default (local auth off, SSH off, no public login port) and cheap by default (clusters
scale to zero, instances shut down when idle).
"""

import re
from typing import NotRequired, Sequence, TypedDict

import pulumi
from pulumi_azure_native import machinelearningservices as ml

from amlws_rules import cluster_scale_violations, idle_shutdown_violation, parse_duration
from amlws_rules.arm import SUBNET as SUBNET_TYPE
from amlws_rules.vm_sizes import vm_size_problem
from amlws_rules.compute import assigned_user_problem

from . import defaults
from ._common import ComponentInputError, check_arm_id
from .compute_features import (
    ComputeScheduleSettings,
    ManagedIdentitiesSettings,
    SetupScriptsSettings,
    compute_identity,
    instance_schedules,
    instance_setup_scripts,
    validate_managed_identities,
    validate_schedules,
    validate_setup_scripts,
)

_INSTANCE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9-]{2,23}$")
_CLUSTER_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9-]{1,15}$")


class ComputeInstanceSettings(TypedDict):
    """One compute instance: a personal development VM with Jupyter."""

    name: str
    """Compute name, 3-24 letters, digits and hyphens, starting with a letter; unique in the region."""
    allow_unlisted_vm_size: NotRequired[bool]
    """Accept a `vm_size` newer than the checked-in list of Azure VM sizes (default false: a typo is refused)."""
    vm_size: str
    """`vmSize`, e.g. `Standard_DS3_v2`: a size in amlws_rules/vm_sizes.py unless `allow_unlisted_vm_size`."""
    idle_time_before_shutdown: str
    """`idleTimeBeforeShutdown` as ISO 8601, 15 minutes to 3 days (`PT30M`). Required: an idle VM costs money."""
    assigned_user_object_id: str
    (
        "Object ID of the Microsoft Entra user the instance is for "
        "(`personalComputeInstanceSettings.assignedUser.objectId`). Required: without it the instance belongs to "
        "whoever runs `pulumi up`."
    )
    assigned_user_tenant_id: NotRequired[str]
    """Tenant of the assigned user; the deploying identity's tenant by default."""
    ssh_public_access: NotRequired[str]
    """`sshSettings.sshPublicAccess`: `Disabled` (default) or `Enabled` (then `ssh_admin_public_key` is required)."""
    ssh_admin_public_key: NotRequired[str]
    """`sshSettings.adminPublicKey`, an OpenSSH public key."""
    subnet_id: NotRequired[str]
    """`subnet.id`: put the instance in a subnet of a virtual network the stack brings."""
    enable_node_public_ip: NotRequired[bool]
    """`enableNodePublicIp`; default true without a subnet, false inside one."""
    disable_local_auth: NotRequired[bool]
    """`disableLocalAuth`, default true (Azure Policy e96a9a5f)."""
    schedules: NotRequired[list[ComputeScheduleSettings]]
    """`schedules.computeStartStop`: up to 4 cron schedules that start or stop the instance. None by default."""
    setup_scripts: NotRequired[SetupScriptsSettings]
    """`setupScripts.scripts`: a creation script (run once) and/or a startup script (run at every start)."""
    managed_identities: NotRequired[ManagedIdentitiesSettings]
    ("The compute's `identity` (AVM `managedIdentities`): system-assigned or user-assigned, not both; none by default.")


class ComputeClusterSettings(TypedDict):
    """One compute cluster (AmlCompute) for training jobs."""

    name: str
    """Compute name, 2-16 letters, digits and hyphens, starting with a letter."""
    allow_unlisted_vm_size: NotRequired[bool]
    """Accept a `vm_size` newer than the checked-in list of Azure VM sizes (default false: a typo is refused)."""
    vm_size: str
    """`vmSize`, e.g. `Standard_DS3_v2`: a size in amlws_rules/vm_sizes.py unless `allow_unlisted_vm_size`."""
    max_node_count: int
    """`scaleSettings.maxNodeCount`, 1 to 2147483647 (the API's int32; your quota is the real limit)."""
    min_node_count: NotRequired[int]
    """`scaleSettings.minNodeCount`, default 0 so an idle cluster costs nothing (CKV_AZURE_150)."""
    vm_priority: NotRequired[str]
    """`vmPriority`: `Dedicated` (default) or `LowPriority` (cheaper, can be pre-empted)."""
    node_idle_time_before_scale_down: NotRequired[str]
    """`scaleSettings.nodeIdleTimeBeforeScaleDown` as ISO 8601, default `PT120S`."""
    subnet_id: NotRequired[str]
    """`subnet.id`: put the cluster's nodes in a subnet of a virtual network the stack brings."""
    enable_node_public_ip: NotRequired[bool]
    """`enableNodePublicIp`; default true without a subnet, false inside one."""
    disable_local_auth: NotRequired[bool]
    """`disableLocalAuth`, default true (CKV_AZURE_142)."""
    managed_identities: NotRequired[ManagedIdentitiesSettings]
    (
        "The compute's `identity` (AVM `managedIdentities`): system-assigned (the default when this is left out) or "
        "user-assigned identities, not both; `{}` runs the cluster without an identity."
    )


def check_subnet(component: str, setting: str, subnet_id: str | None) -> None:
    if subnet_id is not None:
        check_arm_id(component, setting, subnet_id, SUBNET_TYPE)


def check_vm_size(component: str, where: str, compute: ComputeInstanceSettings | ComputeClusterSettings) -> None:
    allow = compute.get("allow_unlisted_vm_size", False)
    problem = vm_size_problem(compute.get("vm_size"), allow is True, "allow_unlisted_vm_size")
    if problem:
        raise ComponentInputError(component, f"{where}.vm_size", compute.get("vm_size"), problem)


def check_scale(component: str, where: str, cluster: ComputeClusterSettings) -> None:
    """Node counts Azure refuses, named as the Args spell them; an Output is left to Azure."""
    counts = {"min_node_count": cluster.get("min_node_count", 0), "max_node_count": cluster.get("max_node_count")}
    if any(isinstance(count, pulumi.Output) for count in counts.values()):
        return
    for key, count in counts.items():
        if count is not None and (isinstance(count, bool) or not isinstance(count, int)):
            raise ComponentInputError(component, f"{where}.{key}", count, "a whole number of nodes")
    names = ("min_node_count", "max_node_count")
    problems = cluster_scale_violations(counts["min_node_count"], counts["max_node_count"], names)
    if problems:
        key = "min_node_count" if all(p.startswith("min_node_count") for p in problems) else "max_node_count"
        raise ComponentInputError(component, f"{where}.{key}", counts[key], "; ".join(problems))


def validate_compute_settings(
    component: str, instances: Sequence[ComputeInstanceSettings], clusters: Sequence[ComputeClusterSettings]
) -> None:
    """Refuse what Azure would refuse: bad names, duplicate names, idle shutdown outside 15 min to 3 days, min > max."""
    seen: set[str] = set()
    for i, ci in enumerate(instances):
        where = f"compute_instances[{i}]"
        name = ci.get("name", "")
        if not _INSTANCE_NAME.match(name):
            raise ComponentInputError(
                component, f"{where}.name", name, "3-24 letters, digits or hyphens, starting with a letter"
            )
        problem = idle_shutdown_violation(ci.get("idle_time_before_shutdown"))
        if problem:
            raise ComponentInputError(
                component, f"{where}.idle_time_before_shutdown", ci.get("idle_time_before_shutdown"), problem
            )
        for key in ("assigned_user_object_id", "assigned_user_tenant_id"):
            problem = assigned_user_problem(key, ci.get(key))
            if problem:
                raise ComponentInputError(component, f"{where}.{key}", ci.get(key), problem)
        access = ci.get("ssh_public_access", defaults.COMPUTE_INSTANCE_SSH_PUBLIC_ACCESS)
        if access not in ("Enabled", "Disabled"):
            raise ComponentInputError(component, f"{where}.ssh_public_access", access, "must be Enabled or Disabled")
        if access == "Enabled" and not ci.get("ssh_admin_public_key"):
            raise ComponentInputError(
                component, f"{where}.ssh_admin_public_key", None, "required when ssh_public_access is Enabled"
            )
        check_subnet(component, f"{where}.subnet_id", ci.get("subnet_id"))
        validate_schedules(component, f"{where}.schedules", ci.get("schedules"))
        validate_setup_scripts(component, f"{where}.setup_scripts", ci.get("setup_scripts"))
        validate_managed_identities(component, f"{where}.managed_identities", ci.get("managed_identities"))
        if name.lower() in seen:
            raise ComponentInputError(
                component, f"{where}.name", name, "another compute in this workspace has that name"
            )
        check_vm_size(component, where, ci)
        seen.add(name.lower())
    for i, cc in enumerate(clusters):
        where = f"compute_clusters[{i}]"
        name = cc.get("name", "")
        if not _CLUSTER_NAME.match(name):
            raise ComponentInputError(
                component, f"{where}.name", name, "2-16 letters, digits or hyphens, starting with a letter"
            )
        check_scale(component, where, cc)
        check_vm_size(component, where, cc)
        priority = cc.get("vm_priority", defaults.CLUSTER_VM_PRIORITY)
        if priority not in ("Dedicated", "LowPriority"):
            raise ComponentInputError(component, f"{where}.vm_priority", priority, "must be Dedicated or LowPriority")
        scale_down = cc.get("node_idle_time_before_scale_down", defaults.CLUSTER_NODE_IDLE_TIME_BEFORE_SCALE_DOWN)
        try:
            parse_duration(scale_down)
        except ValueError as err:
            raise ComponentInputError(
                component, f"{where}.node_idle_time_before_scale_down", scale_down, str(err)
            ) from None
        check_subnet(component, f"{where}.subnet_id", cc.get("subnet_id"))
        validate_managed_identities(component, f"{where}.managed_identities", cc.get("managed_identities"))
        if name.lower() in seen:
            raise ComponentInputError(
                component, f"{where}.name", name, "another compute in this workspace has that name"
            )
        seen.add(name.lower())


def compute_instance_properties(ci: ComputeInstanceSettings, tenant_id: pulumi.Input[str]) -> ml.ComputeInstanceArgs:
    subnet = ci.get("subnet_id")
    return ml.ComputeInstanceArgs(
        compute_type="ComputeInstance",
        disable_local_auth=ci.get("disable_local_auth", True),
        properties=ml.ComputeInstancePropertiesArgs(
            vm_size=ci["vm_size"],
            idle_time_before_shutdown=ci["idle_time_before_shutdown"],
            compute_instance_authorization_type="personal",
            ssh_settings=ml.ComputeInstanceSshSettingsArgs(
                ssh_public_access=ci.get("ssh_public_access", defaults.COMPUTE_INSTANCE_SSH_PUBLIC_ACCESS),
                admin_public_key=ci.get("ssh_admin_public_key"),
            ),
            personal_compute_instance_settings=ml.PersonalComputeInstanceSettingsArgs(
                assigned_user=ml.AssignedUserArgs(
                    object_id=ci["assigned_user_object_id"], tenant_id=ci.get("assigned_user_tenant_id") or tenant_id
                )
            ),
            subnet=ml.ResourceIdArgs(id=subnet) if subnet else None,
            enable_node_public_ip=ci.get("enable_node_public_ip", not subnet),
            schedules=instance_schedules(ci.get("schedules")),
            setup_scripts=instance_setup_scripts(ci.get("setup_scripts")),
        ),
    )


def compute_instance_identity(ci: ComputeInstanceSettings) -> ml.ManagedServiceIdentityArgs | None:
    """An instance has no identity unless `managed_identities` gives one (as before the setting existed)."""
    return compute_identity(ci.get("managed_identities"), default_system_assigned=False)


def compute_cluster_identity(cc: ComputeClusterSettings) -> ml.ManagedServiceIdentityArgs | None:
    """A cluster runs as a system-assigned identity unless `managed_identities` says otherwise."""
    return compute_identity(cc.get("managed_identities"), default_system_assigned=True)


def compute_cluster_properties(cc: ComputeClusterSettings) -> ml.AmlComputeArgs:
    subnet = cc.get("subnet_id")
    return ml.AmlComputeArgs(
        compute_type="AmlCompute",
        disable_local_auth=cc.get("disable_local_auth", True),
        properties=ml.AmlComputePropertiesArgs(
            vm_size=cc["vm_size"],
            vm_priority=cc.get("vm_priority", defaults.CLUSTER_VM_PRIORITY),
            os_type="Linux",
            scale_settings=ml.ScaleSettingsArgs(
                min_node_count=cc.get("min_node_count", defaults.CLUSTER_MIN_NODE_COUNT),
                max_node_count=cc["max_node_count"],
                node_idle_time_before_scale_down=cc.get(
                    "node_idle_time_before_scale_down", defaults.CLUSTER_NODE_IDLE_TIME_BEFORE_SCALE_DOWN
                ),
            ),
            remote_login_port_public_access="Disabled",
            subnet=ml.ResourceIdArgs(id=subnet) if subnet else None,
            enable_node_public_ip=cc.get("enable_node_public_ip", not subnet),
        ),
    )
