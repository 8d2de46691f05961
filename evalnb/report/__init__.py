"""Render a report: execute the section notebooks on a kernel, cache, fingerprint, lock, stitch."""
