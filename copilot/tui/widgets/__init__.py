"""Widgets grouped by screen area: the header, the chat pane and the policy pane."""
