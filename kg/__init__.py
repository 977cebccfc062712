"""kg: Arabic conflict news to a provenance-tracked knowledge graph."""

__version__ = "0.1.0"
