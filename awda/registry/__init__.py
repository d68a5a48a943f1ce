"""Returnees, households, the standard case form, consent, categorisation and name search."""
