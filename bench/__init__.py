"""Internal micro-benchmarks: the engine's answer ingest, the relay's
fan-out, the flusher and the database pool, each next to its physical or
textbook reference (docs/performance.md). They use internals; the load test
(loadtest/) uses only HTTP and WebSocket."""
