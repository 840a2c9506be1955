"""Helpers the tests and the benchmarks share: servers, a browser, course work, the authoring guide's examples."""
