"""The stack program of this package, run on this folder's stack file (examples/avm/README.md)."""

from amlws.stacks.program import main

main()
