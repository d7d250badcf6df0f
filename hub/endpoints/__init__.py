"""Push endpoints: where a tenant wants its deliveries besides the inbox (webhook, AMQP, e-mail)."""
