"""The stylesheets the pages use: the NL Design System's CSS components and design tokens from
their npm packages (installed by ``make install``), plus a few lines of layout glue."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, send_file
from werkzeug.wrappers import Response

from hub.api.context import container

#: Also the home of the templates of every web blueprint (hub/web/templates/web/).
blp = Blueprint("web_assets", __name__, template_folder="templates")

_SOURCE_ROOT = Path(__file__).resolve().parents[2]
_HERE = Path(__file__).resolve().parent

#: Public name → (package-relative path inside the assets dir, or None for our own file).
ASSETS: dict[str, tuple[str | None, str]] = {
    "utrecht-tokens.css": ("@utrecht/design-tokens/dist/index.css", ""),
    "utrecht-components.css": ("@utrecht/component-library-css/dist/index.css", ""),
    "ketenhub.css": (None, "static/ketenhub.css"),
}


def assets_dir() -> Path:
    configured = container().config.web_assets_dir
    return Path(configured) if configured else _SOURCE_ROOT / "node_modules"


@blp.route("/assets/<name>", methods=["GET"])
def asset(name: str) -> Response:
    """A stylesheet (public: the login page needs it too)."""
    if name not in ASSETS:
        abort(404)
    package_path, own = ASSETS[name]
    path = assets_dir() / package_path if package_path else _HERE / own
    if not path.is_file():
        current_app.logger.warning("web asset missing; run make install", extra={"asset": name})
        abort(404)
    return send_file(path, mimetype="text/css", max_age=3600)
