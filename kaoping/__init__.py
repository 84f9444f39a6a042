"""kaoping (考评): Chinese government performance-evaluation notices → structured data."""

__version__ = "0.2.0"
