"""The pieces of scripts/extract_spec_facts.py: what to extract (targets.py) and how (sdk.py)."""
