"""The load test: Locust players and a host driver against a running server,
over HTTP and WebSocket only (docs/performance.md). The internal
micro-benchmarks are in bench/."""
