"""Synthetic manifests with planted cases and labels (`chainbreaker synth manifests`)."""
