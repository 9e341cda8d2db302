"""Screening shipments and orders: readers, detectors, scoring, engines, reports."""
