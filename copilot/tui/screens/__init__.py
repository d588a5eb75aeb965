"""Modal screens: confirm, ask for a folder, help."""
