from __future__ import annotations

import signal
import threading

import click

from hub.bootstrap import bootstrap
from hub.config import Config
from hub.logs import configure_logging
from hub.metrics import Metrics
from hub.runtime import Runtime
from hub.worker_http import WorkerHttp, create_worker_app


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
    http = None
    if config.worker_port:
        app = create_worker_app(runtime.healthy, container.readiness,
                                container.extras.setdefault("metrics",
                                                            Metrics(container.monitoring)))
        http = WorkerHttp(app, config.worker_host, config.worker_port)
        http.start()
        click.echo(f"Ketenhub worker: gezondheid en metrics op "
                   f"http://{config.worker_host}:{http.port}/healthz", err=True)
    click.echo("Ketenhub worker draait", err=True)
    stopping.wait()
    if http is not None:
        http.stop()
    runtime.stop()
    container.close()
