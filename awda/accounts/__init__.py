"""Institutions, their offices, users, roles, and the data scope every query goes through."""
