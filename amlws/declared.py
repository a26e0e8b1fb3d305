"""Where a user's program declared a component: the file and line an error or a SARIF result points at.

Light on purpose (no pulumi import): the components use it when they refuse an input, and the offline
preview when it records each component, so code scanning can annotate the program line that declared it.
"""

from __future__ import annotations

import sys

# Modules whose frames are ours or the SDK's: the user's declaration is the first frame outside them.
_OWN_MODULES = ("amlws", "pulumi")
_STACK_PROGRAM = "amlws.stacks"
_COMPONENTS = "amlws.components"

Site = tuple[str, int]


def _own(module: str) -> bool:
    return any(module == own or module.startswith((f"{own}.", f"{own}_")) for own in _OWN_MODULES)


def declaration_site(skip: int = 1) -> tuple[Site | None, str | None]:
    """The (file, line) of the user's program that declared the component being built, and its instance name.

    Walks outward from the caller to the first frame outside this package and the Pulumi SDK: that file
    and line are what a user edits. A component the stack program (amlws.stacks) declared has no site:
    its settings came from the stack file, which its errors name. The instance name is the `name` of the
    outermost component `__init__` on the way out (`MachineLearningWorkspace vision`)."""
    frame = sys._getframe(skip)  # pyright: ignore[reportPrivateUsage] - the stack is what we read
    instance: str | None = None
    while frame is not None:
        module = str(frame.f_globals.get("__name__", ""))
        if module.startswith(_STACK_PROGRAM):
            return None, instance
        if not _own(module):
            return (frame.f_code.co_filename, frame.f_lineno), instance
        if module.startswith(_COMPONENTS) and frame.f_code.co_name == "__init__":
            name = frame.f_locals.get("name")
            if isinstance(name, str):
                instance = name
        frame = frame.f_back
    return None, instance


def declared_by_stack_file() -> bool:
    """True while the stack program (amlws.stacks) is declaring: its settings are spelt in camelCase."""
    frame = sys._getframe(1)  # pyright: ignore[reportPrivateUsage]
    while frame is not None:
        if str(frame.f_globals.get("__name__", "")).startswith(_STACK_PROGRAM):
            return True
        frame = frame.f_back
    return False


def _camel(word: str) -> str:
    first, *rest = word.split("_")
    return first + "".join(part[:1].upper() + part[1:] for part in rest)


def as_written(setting: str) -> str:
    """A component setting (`storage.existing_id`) spelt as where its value was written: camelCase
    (`storage.existingId`) when the stack file set it, the Args' snake_case when a Python program did."""
    return ".".join(_camel(part) for part in setting.split(".")) if declared_by_stack_file() else setting
