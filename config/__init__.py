"""Awda's Django configuration: settings from environment variables, URLs, WSGI and ASGI."""
