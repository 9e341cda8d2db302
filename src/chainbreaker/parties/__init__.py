"""Screening people and companies against sanctions and watch lists."""
