"""A custom training environment: a Docker image built from a Dockerfile, pushed to the workspace's
container registry, and registered as an Azure ML environment version that jobs can name.

Credentials are identity-based, never the registry's admin user: the deploying identity's Microsoft
Entra token (`getClientToken`) is exchanged at the registry's `/oauth2/exchange` endpoint for an ACR
refresh token, which Docker presents with the fixed user name `00000000-0000-0000-0000-000000000000`
(the documented `az acr login --expose-token` flow). The exchange runs only when the image is pushed
(`pulumi up`); a preview neither builds nor pushes. The identity needs AcrPush on the registry.
"""


import json
import re
import urllib.parse
import urllib.request
from pathlib import Path
from typing import NotRequired, Sequence, TypedDict

import pulumi
from pulumi_azure_native import authorization
from pulumi_azure_native import machinelearningservices as ml

from ._common import ComponentInputError, child

ACR_TOKEN_USER = "00000000-0000-0000-0000-000000000000"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$")
_VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,29}$")


class EnvironmentSettings(TypedDict):
    """A custom environment built from a Dockerfile."""

    name: str
    """Environment name in the workspace; also the image repository name."""
    version: str
    """Environment version and image tag (environment versions are immutable: bump it to rebuild)."""
    docker_context: str
    """Build context directory (relative paths are resolved against the working directory)."""
    dockerfile: NotRequired[str]
    """Dockerfile inside the context, default `Dockerfile`."""
    description: NotRequired[str]
    """`description` of the environment version."""
    platform: NotRequired[str]
    """Target platform, default `linux/amd64` (what Azure ML compute runs)."""


def validate_environments(component: str, environments: Sequence[EnvironmentSettings], has_registry: bool, base_dir: Path) -> None:
    if environments and not has_registry:
        raise ComponentInputError(
            component, "environments", [e.get("name") for e in environments],
            "a custom environment image needs the workspace's container_registry (created, shared or existing)",
        )
    seen: set[str] = set()
    for i, env in enumerate(environments):
        setting = f"environments[{i}]"
        if not _NAME.match(env.get("name", "")):
            raise ComponentInputError(component, f"{setting}.name", env.get("name"), "letters, digits, '.', '_' and '-', up to 255")
        if env["name"].lower() in seen:
            raise ComponentInputError(component, f"{setting}.name", env["name"], "environment names must be unique in a workspace")
        seen.add(env["name"].lower())
        if not _VERSION.match(str(env.get("version", ""))):
            raise ComponentInputError(component, f"{setting}.version", env.get("version"), "letters, digits, '.', '_' and '-', up to 30")
        context = base_dir / env.get("docker_context", "")
        dockerfile = context / env.get("dockerfile", "Dockerfile")
        if not context.is_dir():
            raise ComponentInputError(component, f"{setting}.docker_context", env.get("docker_context"), f"no such directory ({context})")
        if not dockerfile.is_file():
            raise ComponentInputError(component, f"{setting}.dockerfile", env.get("dockerfile", "Dockerfile"), f"no such file ({dockerfile})")


def exchange_for_acr_refresh_token(login_server: str, tenant_id: str, aad_token: str) -> str:
    """POST https://<registry>/oauth2/exchange (grant_type=access_token): the documented AAD-to-ACR exchange."""
    body = urllib.parse.urlencode(
        {"grant_type": "access_token", "service": login_server, "tenant": tenant_id, "access_token": aad_token}
    ).encode()
    request = urllib.request.Request(f"https://{login_server}/oauth2/exchange", data=body, method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - a fixed https URL
        return json.loads(response.read())["refresh_token"]


def registry_password(parent: pulumi.Resource, login_server: pulumi.Input[str]) -> pulumi.Output[str]:
    """A secret ACR refresh token for the deploying identity; exchanged only when not previewing."""
    opts = pulumi.InvokeOutputOptions(parent=parent)
    token = authorization.get_client_token_output(opts=opts).token
    tenant = authorization.get_client_config_output(opts=opts).tenant_id

    def exchange(values: list[str]) -> str:
        server, tenant_id, aad = values
        if pulumi.runtime.is_dry_run():
            return aad  # not used: previews do not push
        return exchange_for_acr_refresh_token(server, tenant_id, aad)

    return pulumi.Output.secret(pulumi.Output.all(login_server, tenant, token).apply(exchange))


def declare_environments(
    parent: pulumi.Resource, name: str, environments: Sequence[EnvironmentSettings], *,
    login_server: pulumi.Input[str], workspace: ml.Workspace, resource_group_name: pulumi.Input[str],
    base_dir: Path, depends_on: Sequence[pulumi.Resource] = (),
) -> dict[str, pulumi.Output[str]]:
    """Image, environment container and environment version per environment; returns version IDs."""
    ids: dict[str, pulumi.Output[str]] = {}
    if not environments:
        return ids
    import pulumi_docker as docker  # imported on use: only stacks with custom environments need it

    password = registry_password(parent, login_server)
    for env in environments:
        slug = env["name"].lower().replace("_", "-").replace(".", "-")
        image_name = pulumi.Output.concat(login_server, "/", env["name"].lower(), ":", env["version"])
        image = docker.Image(
            f"{name}-{slug}-image",
            image_name=image_name,
            build=docker.DockerBuildArgs(
                context=str(base_dir / env["docker_context"]),
                dockerfile=str(base_dir / env["docker_context"] / env.get("dockerfile", "Dockerfile")),
                platform=env.get("platform", "linux/amd64"),
            ),
            registry=docker.RegistryArgs(server=login_server, username=ACR_TOKEN_USER, password=password),
            opts=child(parent, depends_on=list(depends_on)),
        )
        container = ml.EnvironmentContainer(
            f"{name}-{slug}-env",
            name=env["name"],
            resource_group_name=resource_group_name,
            workspace_name=workspace.name,
            properties=ml.EnvironmentContainerPropertiesArgs(description=env.get("description")),
            opts=child(parent),
        )
        version = ml.EnvironmentVersion(
            f"{name}-{slug}-env-{env['version']}",
            name=container.name,
            version=env["version"],
            resource_group_name=resource_group_name,
            workspace_name=workspace.name,
            properties=ml.EnvironmentVersionPropertiesArgs(
                image=image.image_name, os_type="Linux", description=env.get("description")
            ),
            # Jobs name environment versions; bumping the version must not delete the old one.
            opts=child(parent, retain_on_delete=True),
        )
        ids[env["name"]] = version.id
    return ids
