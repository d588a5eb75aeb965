"""The chat pane: the conversation, the activity line and the input."""
