"""The README fits a screen or two and links to docs/ pages that exist; the references in docs/ cover
every stack key (finding 9: `amlws:selfServe` was missing) and quote counts generated from the code."""

import re
import sys

from harness import ROOT

sys.path.insert(0, str(ROOT / "scripts"))

import readme_tables  # noqa: E402

PAGES = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]


def test_readme_is_short_and_says_how_to_preview_and_test():
    readme = (ROOT / "README.md").read_text()
    assert len(readme.splitlines()) < 400
    assert "bash scripts/preview dev" in readme and "bash scripts/test" in readme
    assert "bash scripts/test" in (ROOT / ".ci/run").read_text()


def test_relative_links_in_readme_contributing_and_docs_resolve():
    broken = []
    for page in PAGES:
        text = page.read_text()
        anchors = {_slug(h) for h in re.findall(r"^#+ (.*)$", text, re.M)}
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+:", target) or "<" in target or target.startswith("?"):
                continue
            path, _, anchor = target.partition("#")
            linked = (page.parent / path) if path else page
            if not linked.exists():
                broken.append(f"{page.name}: {target}")
            elif anchor and linked.suffix == ".md":
                heads = anchors if not path else {_slug(h) for h in re.findall(r"^#+ (.*)$", linked.read_text(), re.M)}
                if anchor not in heads:
                    broken.append(f"{page.name}: {target}")
    assert broken == []


def _slug(heading: str) -> str:
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_the_configuration_reference_explains_every_stack_and_workspace_key():
    """Every top-level `amlws:` key and every workspace key has a row in the hand-written table of
    docs/configuration.md (what it means); the generated table below it lists every key at every depth."""
    text = (ROOT / "docs/configuration.md").read_text()
    explained = text.split("## Every key")[0]
    keys = [k for k, *_ in readme_tables.config_rows()]
    top = [k for k in keys if k.count(".") == 0 and "[]" not in k]
    workspace = [k.split("[].")[1] for k in keys if k.startswith("amlws:workspaces[].") and k.count(".") == 1]
    assert "amlws:selfServe" in top
    missing = [k for k in top if f"`{k}`" not in explained]
    missing += [k for k in workspace if f"…{k}" not in explained and f"`{k}`" not in explained]
    assert missing == []
    generated = text.split("<!-- config-keys:start -->")[1]
    assert all(f"`{k}`" in generated for k in keys)


def test_counts_in_the_docs_are_generated_from_the_code():
    sys.path.insert(0, str(ROOT / "policy"))
    from amlws_policies import ALL_POLICIES

    for page in PAGES:
        for count in re.findall(r"(\d+) policies", page.read_text()):
            assert int(count) == len(ALL_POLICIES), f"{page.name}: {count} policies (the pack has {len(ALL_POLICIES)})"
