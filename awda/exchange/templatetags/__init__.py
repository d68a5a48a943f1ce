"""Template tags of data exchange."""
