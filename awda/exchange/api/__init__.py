"""The API of data exchange."""
