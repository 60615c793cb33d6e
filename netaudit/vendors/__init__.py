"""Vendor parsers: one package per platform; the registry is ``base.PARSERS``."""
