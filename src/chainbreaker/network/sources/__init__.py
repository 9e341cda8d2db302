"""Readers of what the network is built from: edge files, screening results, watch lists, STIX."""
