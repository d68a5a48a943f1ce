"""Migrations of data exchange."""
