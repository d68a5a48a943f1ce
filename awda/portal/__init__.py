"""The UI shell and public pages: layout, navigation by role, home pages, language, errors."""
