"""Performance benchmarks of Hoshin: data generator, page timings, create throughput."""
