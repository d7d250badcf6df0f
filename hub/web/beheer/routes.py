"""The admin start page (Beheer): the alerts of the organisation, newest first, with what to do
(a hub admin: of every organisation), and the way to each admin page. Through
``AlertService``, as ``GET /api/v1/admin/alerts``."""

from __future__ import annotations

from flask import Blueprint, render_template

from hub.api.context import container
from hub.web.beheer.common import ADMIN
from hub.web.session import current_user, login_required
from hub.web.tenants import tenant_name

blp = Blueprint("web_beheer", __name__)

_SHOWN = 50


@blp.route("/beheer", methods=["GET"])
@login_required(*ADMIN)
def index() -> str:
    user = current_user()
    alerts = container().alerts.list(user.principal, limit=_SHOWN).items
    return render_template("web/beheer.html", title="Beheer", alerts=alerts,
                           name_of=tenant_name, hub_admin=user.is_hub_admin)
