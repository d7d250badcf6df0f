from __future__ import annotations

import signal

import click

from hub.app import create_app
from hub.bootstrap import bootstrap
from hub.config import Config
from hub.logs import configure_logging
from hub.runtime import Runtime


@click.command(help="Start de hub (web; op de embedded standaard ook de achtergrondprocessen).")
@click.option("--host", default=None, help="Default 127.0.0.1 (KETENHUB_HOST)")
@click.option("--port", type=int, default=None, help="Default 8000 (KETENHUB_PORT)")
@click.option("--threads", type=int, default=8)
@click.option("--with-workers/--without-workers", default=None,
              help="Run relay, delivery and reconciler in this process (default: only on the "
                   "embedded in-process bus, where they must)")
def serve(host: str | None, port: int | None, threads: int, with_workers: bool | None) -> None:
    from hub.server import make_server

    overrides = {k: v for k, v in {"host": host, "port": port}.items() if v is not None}
    config = Config.from_env(**overrides)
    configure_logging(config.log_level)
    container = bootstrap(config)
    if not config.database_url or config.auto_migrate:
        container.migrate()
    app = create_app(config, container)
    runtime = None
    if with_workers or (with_workers is None and not config.broker_url):
        runtime = Runtime(container)
        runtime.start()
    server = make_server(app, config, threads=threads)
    click.echo(f"Ketenhub listening on http://{config.host}:{config.port}", err=True)
    signal.signal(signal.SIGTERM, _stop_serving)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        if runtime is not None:
            runtime.stop()
        container.close()


def _stop_serving(_signum: int, _frame: object) -> None:
    """SIGTERM ends waitress like Ctrl-C does, so the background workers stop gracefully."""
    raise KeyboardInterrupt
