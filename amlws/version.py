"""The installed distribution's version: one number, from pyproject.toml through package metadata."""

from importlib import metadata

DISTRIBUTION = "pulumi-azureml-workspace"


def version() -> str:
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "0+unknown"
