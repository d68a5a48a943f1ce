"""Awda: case management, referral and monitoring for the reintegration of returnees in Iraq."""

__version__ = "0.1.0"
