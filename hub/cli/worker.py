from __future__ import annotations

import signal
import threading

import click

from hub.bootstrap import bootstrap
from hub.config import Config
from hub.logs import configure_logging
from hub.runtime import Runtime


@click.command(help="Start de achtergrondprocessen: outbox-relay, aflevering, reconciler.")
def worker() -> None:
    config = Config.from_env()
    configure_logging(config.log_level)
    container = bootstrap(config)
    runtime = Runtime(container)
    stopping = threading.Event()

    def on_signal(signum: int, _frame: object) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    runtime.start()
    click.echo("Ketenhub worker running", err=True)
    stopping.wait()
    runtime.stop()
    container.close()
