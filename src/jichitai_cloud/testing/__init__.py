"""Test support for users of the library: hypothesis strategies (:mod:`jichitai_cloud.testing.strategies`).

Importing :mod:`jichitai_cloud` never imports this package, so hypothesis stays a test-only dependency.
"""
