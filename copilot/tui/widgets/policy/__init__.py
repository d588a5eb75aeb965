"""The policy pane: the current policy in tabs, its checks, its diff and its scan impact."""
