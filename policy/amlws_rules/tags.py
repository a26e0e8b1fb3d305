"""The limits Azure puts on tags, as one rule function for the stack config, the components and the pack.

learn.microsoft.com, azure-resource-manager/management/tag-resources, "Limitations" (MicrosoftDocs/azure-docs
articles/azure-resource-manager/management/tag-resources.md):
- "Each resource, resource group, and subscription can have a maximum of 50 tag name-value pairs."
- "The tag name has a limit of 512 characters and the tag value has a limit of 256 characters. For storage
  accounts, the tag name has a limit of 128 characters and the tag value has a limit of 256 characters."
- "Tag names can't contain these characters: `<`, `>`, `%`, `&`, `\\`, `?`, `/`"
- "Tag names are case-insensitive for operations" (same page): two names that differ only in case are one tag.
"""

from __future__ import annotations

from typing import Mapping

MAX_TAGS = 50
MAX_NAME_LENGTH = 512
MAX_STORAGE_ACCOUNT_NAME_LENGTH = 128
MAX_VALUE_LENGTH = 256
FORBIDDEN_NAME_CHARACTERS = "<>%&\\?/"
TAG_LIMITS_DOC = "https://learn.microsoft.com/azure/azure-resource-manager/management/tag-resources#limitations"


def _short(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


def tag_name_problem(name: object, *, storage_account: bool = False) -> str | None:
    """What Azure refuses in one tag name: its length, its characters."""
    if not isinstance(name, str) or not name:
        return f"tag name {name!r}: a tag name is a non-empty string"
    max_name = MAX_STORAGE_ACCOUNT_NAME_LENGTH if storage_account else MAX_NAME_LENGTH
    problems = []
    if len(name) > max_name:
        where = " on a storage account" if storage_account else ""
        problems.append(f"tag name {_short(name)} has {len(name)} characters: Azure allows at most {max_name}{where}")
    bad = sorted({c for c in name if c in FORBIDDEN_NAME_CHARACTERS})
    if bad:
        problems.append(
            f"tag name {_short(name)} contains {' '.join(bad)}: Azure tag names can't contain "
            f"{' '.join(FORBIDDEN_NAME_CHARACTERS)}"
        )
    return "; ".join(problems) or None


def tag_value_problem(name: object, value: object) -> str | None:
    """What Azure refuses in one tag value: a non-string, more than 256 characters."""
    if not isinstance(value, str):
        return f"tag {name!r}: the value is a string, not {type(value).__name__}"
    if len(value) > MAX_VALUE_LENGTH:
        return (
            f"tag {_short(str(name))}: the value has {len(value)} characters; Azure allows at most {MAX_VALUE_LENGTH}"
        )
    return None


def tag_set_problems(tags: Mapping[str, object], *, storage_account: bool = False) -> list[str]:
    """What Azure refuses in a resource's whole set of tags: more than 50, names that differ only in case, and
    (`storage_account`) names longer than a storage account allows."""
    problems: list[str] = []
    if len(tags) > MAX_TAGS:
        problems.append(f"{len(tags)} tags: Azure allows at most {MAX_TAGS} on a resource")
    if storage_account:
        problems += [
            f"tag name {_short(n)} has {len(n)} characters: Azure allows at most "
            f"{MAX_STORAGE_ACCOUNT_NAME_LENGTH} on a storage account"
            for n in tags
            if isinstance(n, str) and MAX_STORAGE_ACCOUNT_NAME_LENGTH < len(n) <= MAX_NAME_LENGTH
        ]
    folded: dict[str, list[str]] = {}
    for name in tags:
        if isinstance(name, str):
            folded.setdefault(name.lower(), []).append(name)
    problems += [
        f"tags {', '.join(map(repr, names))} are one tag to Azure (tag names are case-insensitive)"
        for names in folded.values()
        if len(names) > 1
    ]
    return problems


def tag_problems(tags: object, *, storage_account: bool = False) -> list[str]:
    """Everything Azure would refuse in `tags` (name -> value) as they reach one resource; [] when they are fine.

    `storage_account`: the tags also reach a storage account, whose tag names are limited to 128 characters.
    """
    if not isinstance(tags, Mapping):
        return [f"tags are a mapping of tag names to string values, not {type(tags).__name__}"]
    problems = [p for name in tags if (p := tag_name_problem(name))]
    problems += [p for name, value in tags.items() if (p := tag_value_problem(name, value))]
    return problems + tag_set_problems(tags, storage_account=storage_account)
