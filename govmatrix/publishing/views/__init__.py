"""Thin views of publishing: parse, call a service or selector, render."""
