"""Pulumi entry point: `pulumi up -s dev` runs the stack program for Pulumi.dev.yaml."""

from amlws.stacks.program import main

main()
