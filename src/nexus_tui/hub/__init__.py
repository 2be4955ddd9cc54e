"""Import and export of a whole hub: README markdown and JSON backups. No Textual here."""
