"""Management commands of data exchange."""
