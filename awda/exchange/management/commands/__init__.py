"""The ``awda link`` command and the exchange app's other commands."""
