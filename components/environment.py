"""A custom training environment, registered as an Azure ML environment version that jobs can name.

Two ways to get its image, and one rule for the whole package: no step of `pulumi up` may need a
data-plane call through a network the stack itself closes.

- **Built here** (`docker_context`, a local directory): pulumi-docker builds the image on the
  deploying machine and pushes it to the workspace's container registry. Credentials are
  identity-based, never the registry's admin user: the deploying identity's Microsoft Entra token
  (`getClientToken`) is exchanged at the registry's `/oauth2/exchange` endpoint for an ACR refresh
  token, which Docker presents with the fixed user name `00000000-0000-0000-0000-000000000000` (the
  documented `az acr login --expose-token` flow). The exchange and the push are ACR data-plane calls:
  only for a registry the deployer can reach. A registry with public network access disabled refuses
  them, so that combination is refused offline, naming the alternative.
- **Built by Azure ML** (`build_context_uri`): the environment version carries a build context
  (`properties.build.contextUri` / `dockerfilePath`) and Azure ML builds the image itself. `contextUri`
  takes a blob URI on creation (REST spec 2025-12-01, `BuildContext.contextUri`: "Supports blob URIs on
  environment creation"), so the context must already be in a blob container Azure ML can read. When the
  registry is behind a network Azure ML cannot build there directly and uses the workspace's
  `imageBuildCompute` (how-to-managed-network, "Configure image builds").
"""

import json
import re
import urllib.parse
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, NotRequired, Sequence, TypedDict

import pulumi

from amlws.declared import as_written
from pulumi_azure_native import authorization
from pulumi_azure_native import machinelearningservices as ml

from ._common import ComponentInputError, child

if TYPE_CHECKING:
    from pulumi_docker import Image as DockerImage  # imported on use at run time (`_local_image`)

ACR_TOKEN_USER = "00000000-0000-0000-0000-000000000000"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$")
_VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,29}$")
# A blob in a container: `contextUri` takes blob URIs on creation (BuildContext, REST spec 2025-12-01).
_BLOB_URI = re.compile(
    r"^https://[a-z0-9]{3,24}\.blob\.core\.(windows\.net|chinacloudapi\.cn|usgovcloudapi\.net)/[a-z0-9$][a-z0-9-]{1,62}(/\S*)?$"
)


class EnvironmentSettings(TypedDict):
    """A custom environment: an image built on the deploying machine (`docker_context`) or by Azure ML
    (`build_context_uri`)."""

    name: str
    """Environment name in the workspace; also the image repository name."""
    version: str
    """Environment version and image tag (environment versions are immutable: bump it to rebuild)."""
    docker_context: NotRequired[str]
    (
        "Local build context directory (relative to the working directory): pulumi-docker builds and pushes the image. "
        "Only for a registry the deployer can reach."
    )
    build_context_uri: NotRequired[str]
    (
        "Blob URI of a build context Azure ML can read (`build.contextUri`): Azure ML builds the image, "
        "on the workspace's `image_build_compute` when its registry is behind a network."
    )
    dockerfile: NotRequired[str]
    """Dockerfile inside the context, default `Dockerfile` (`build.dockerfilePath` for Azure ML builds)."""
    description: NotRequired[str]
    """`description` of the environment version."""
    platform: NotRequired[str]
    """Target platform of a local build, default `linux/amd64` (what Azure ML compute runs)."""


def built_by_azure_ml(env: EnvironmentSettings) -> bool:
    return bool(env.get("build_context_uri"))


def validate_environments(
    component: str,
    environments: Sequence[EnvironmentSettings],
    has_registry: bool,
    base_dir: Path,
    registry_private: bool = False,
) -> None:
    """Names and versions; exactly one build path per environment; a local context that exists, and never
    a local build into a registry the deployer cannot reach (the push is refused there)."""
    if environments and not has_registry:
        raise ComponentInputError(
            component,
            "environments",
            [e.get("name") for e in environments],
            "a custom environment image needs the workspace's container_registry (created, shared or existing)",
        )
    seen: set[str] = set()
    for i, env in enumerate(environments):
        setting = f"environments[{i}]"
        if not _NAME.match(env.get("name", "")):
            raise ComponentInputError(
                component, f"{setting}.name", env.get("name"), "letters, digits, '.', '_' and '-', up to 255"
            )
        if env["name"].lower() in seen:
            raise ComponentInputError(
                component, f"{setting}.name", env["name"], "environment names must be unique in a workspace"
            )
        seen.add(env["name"].lower())
        if not _VERSION.match(str(env.get("version", ""))):
            raise ComponentInputError(
                component, f"{setting}.version", env.get("version"), "letters, digits, '.', '_' and '-', up to 30"
            )
        if bool(env.get("docker_context")) == bool(env.get("build_context_uri")):
            raise ComponentInputError(
                component,
                setting,
                {k: env.get(k) for k in ("docker_context", "build_context_uri")},
                "give exactly one of docker_context (built and pushed from the deploying machine) "
                "or build_context_uri (a blob URI of the context; Azure ML builds the image)",
            )
        if built_by_azure_ml(env):
            _check_remote_context(component, setting, env)
        else:
            _check_local_context(component, setting, env, base_dir, registry_private)


def _check_remote_context(component: str, setting: str, env: EnvironmentSettings) -> None:
    uri = env.get("build_context_uri", "")  # set: called only when built_by_azure_ml(env)
    if not _BLOB_URI.match(uri):
        raise ComponentInputError(
            component,
            f"{setting}.build_context_uri",
            uri,
            "must be a blob URI (https://<account>.blob.core.windows.net/<container>/<path>/): "
            "Azure ML takes a build context from blob storage when it creates an environment version",
        )
    dockerfile = env.get("dockerfile", "Dockerfile")
    if dockerfile.startswith("/") or ".." in Path(dockerfile).parts:
        raise ComponentInputError(component, f"{setting}.dockerfile", dockerfile, "a path inside the build context")


def _check_local_context(
    component: str, setting: str, env: EnvironmentSettings, base_dir: Path, registry_private: bool
) -> None:
    if registry_private:
        raise ComponentInputError(
            component,
            f"{setting}.docker_context",
            env.get("docker_context"),
            "the workspace's container registry has public network access disabled, so it refuses the ACR token "
            "exchange and the push from the deploying machine (data-plane calls). Upload the context to blob storage "
            "Azure ML can read and give build_context_uri instead: Azure ML then builds the image inside its network "
            "on the workspace's image_build_compute. Or use a registry the deployer can reach",
        )
    context = base_dir / env.get("docker_context", "")
    dockerfile = context / env.get("dockerfile", "Dockerfile")
    if not context.is_dir():
        raise ComponentInputError(
            component, f"{setting}.docker_context", env.get("docker_context"), f"no such directory ({context})"
        )
    if not dockerfile.is_file():
        raise ComponentInputError(
            component, f"{setting}.dockerfile", env.get("dockerfile", "Dockerfile"), f"no such file ({dockerfile})"
        )


def validate_image_build_compute(
    component: str,
    image_build_compute: str | None,
    compute_names: Sequence[str],
    environments: Sequence[EnvironmentSettings],
    registry_private: bool,
) -> None:
    """`imageBuildCompute` names a compute of this workspace, and is set when Azure ML must build into a
    registry behind a network: it "can't be used to directly build Docker images" there
    (how-to-managed-network, "Configure image builds": a compute cluster or compute instance builds instead)."""
    if image_build_compute is not None and image_build_compute not in compute_names:
        raise ComponentInputError(
            component,
            "image_build_compute",
            image_build_compute,
            "names no compute of this workspace ("
            + (
                ", ".join(compute_names)
                or f"its {as_written('compute_instances')} and {as_written('compute_clusters')} declare none"
            )
            + ")",
        )
    remote = [env["name"] for env in environments if built_by_azure_ml(env)]
    if remote and registry_private and image_build_compute is None:
        raise ComponentInputError(
            component,
            "image_build_compute",
            None,
            f"required for {', '.join(remote)}: the workspace's container registry is behind a network, so Azure ML "
            "builds images on a compute of the workspace; name one of its compute clusters or instances "
            f"({', '.join(compute_names) or 'declare one in compute_clusters'})",
        )


ACR_AUDIENCE = "https://containerregistry.azure.net"


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
    # An ACR-audience token, so the exchange works when the registry refuses ARM-audience tokens
    # (Azure Policy 42781ec6; the component's default). getClientToken uses `endpoint` verbatim as the
    # token's resource (pulumi-azure-native provider.go `tokenEndpoint`).
    token = authorization.get_client_token_output(endpoint=ACR_AUDIENCE, opts=opts).token
    tenant = authorization.get_client_config_output(opts=opts).tenant_id

    def exchange(values: list[str]) -> str:
        server, tenant_id, aad = values
        if pulumi.runtime.is_dry_run():
            return aad  # not used: previews do not push
        return exchange_for_acr_refresh_token(server, tenant_id, aad)

    return pulumi.Output.secret(pulumi.Output.all(login_server, tenant, token).apply(exchange))


def declare_environments(
    parent: pulumi.Resource,
    name: str,
    environments: Sequence[EnvironmentSettings],
    *,
    login_server: pulumi.Input[str],
    workspace: ml.Workspace,
    resource_group_name: pulumi.Input[str],
    base_dir: Path,
    depends_on: Sequence[pulumi.Resource] = (),
    build_compute: Sequence[pulumi.Resource] = (),
) -> dict[str, pulumi.Output[str]]:
    """Environment container and version per environment (with a locally built image, or a build
    context for Azure ML, which waits for `build_compute`); returns version IDs."""
    ids: dict[str, pulumi.Output[str]] = {}
    local = [env for env in environments if not built_by_azure_ml(env)]
    password = registry_password(parent, login_server) if local else None
    for env in environments:
        slug = env["name"].lower().replace("_", "-").replace(".", "-")
        after: list[pulumi.Resource] = []
        context_uri = env.get("build_context_uri")
        if context_uri:  # built_by_azure_ml(env)
            properties = ml.EnvironmentVersionPropertiesArgs(
                build=ml.BuildContextArgs(context_uri=context_uri, dockerfile_path=env.get("dockerfile", "Dockerfile")),
                os_type="Linux",
                description=env.get("description"),
            )
            # "the compute referenced by image_build_compute will need to be created before building images"
            # (how-to-configure-private-link, MicrosoftDocs/azure-ai-docs).
            after = list(build_compute)
        else:
            assert password is not None  # env is in `local`, so the password was asked for above
            image = _local_image(parent, f"{name}-{slug}-image", env, login_server, password, base_dir, depends_on)
            properties = ml.EnvironmentVersionPropertiesArgs(
                image=image.image_name, os_type="Linux", description=env.get("description")
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
            properties=properties,
            # Jobs name environment versions; bumping the version must not delete the old one.
            opts=child(parent, retain_on_delete=True, depends_on=after),
        )
        ids[env["name"]] = version.id
    return ids


def _local_image(
    parent: pulumi.Resource,
    resource_name: str,
    env: EnvironmentSettings,
    login_server: pulumi.Input[str],
    password: pulumi.Output[str],
    base_dir: Path,
    depends_on: Sequence[pulumi.Resource],
) -> "DockerImage":
    """The image built on the deploying machine and pushed with the identity's ACR token."""
    import pulumi_docker as docker  # imported on use: only stacks with local builds need it

    context = base_dir / env.get(
        "docker_context", ""
    )  # set: validate_environments requires it without build_context_uri
    return docker.Image(
        resource_name,
        image_name=pulumi.Output.concat(login_server, "/", env["name"].lower(), ":", env["version"]),
        build=docker.DockerBuildArgs(
            context=str(context),
            dockerfile=str(context / env.get("dockerfile", "Dockerfile")),
            platform=env.get("platform", "linux/amd64"),
        ),
        registry=docker.RegistryArgs(server=login_server, username=ACR_TOKEN_USER, password=password),
        opts=child(parent, depends_on=list(depends_on)),
    )
