"""Kube PAC Copilot: the agent and its faces (CLI, TUI)."""

__version__ = "0.1.0"
