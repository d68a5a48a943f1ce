"""Pages of data exchange."""
