"""Helpers for bench/bench_pipeline.py: the hub under test as real processes, the raw-pika
baseline, the load generators and the consumers (pull inbox now; AMQP push later)."""
