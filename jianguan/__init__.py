"""监管 Jianguan: 事中事后监管 platform."""

__version__ = "0.1.0"
