"""Tests of data exchange."""
