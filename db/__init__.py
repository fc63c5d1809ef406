"""The data layer (public API documented below once complete)."""
