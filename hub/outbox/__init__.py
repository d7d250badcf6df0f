"""The transactional outbox: rows written with the message, published to the bus by a relay."""
