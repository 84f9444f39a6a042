"""kaoping (考评): Chinese government performance-evaluation notices → structured data."""

__version__ = "0.1.0"
