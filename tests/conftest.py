import asyncio
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(autouse=True)
def fresh_event_loop():
    """One event loop per test: a shared loop leaks work from one test into the next's mocks."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    yield loop
    loop.close()
    asyncio.set_event_loop(None)


@pytest.fixture(scope="session")
def stack_preview():
    """`stack_preview("dev")`: one offline preview per (stack, unknowns) for the whole session.
    For tests that only read a preview (never mutate the result): running the program is the
    suite's main cost."""
    from amlws.preview import preview_stack

    root = Path(__file__).resolve().parent.parent
    cache: dict = {}

    def get(stack: str, unknowns: bool = False):
        if (stack, unknowns) not in cache:
            cache[stack, unknowns] = preview_stack(root, stack, unknowns=unknowns)
        return cache[stack, unknowns]

    return get
