"""No API key is ever in clear in the database or the logs."""

from __future__ import annotations

import logging
import re

from sqlalchemy import MetaData, select

from hub.logs import JsonFormatter


def _dump_database(engine) -> str:
    meta = MetaData()
    meta.reflect(engine)
    rows = []
    with engine.connect() as conn:
        for table in meta.sorted_tables:
            rows += [repr(tuple(r)) for r in conn.execute(select(table))]
    return "\n".join(rows)


def test_no_api_key_appears_in_the_database_or_the_logs(world, tmp_path):
    log_file = tmp_path / "hub.log"
    handler = logging.FileHandler(log_file)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("ketenhub")
    logger.addHandler(handler)
    try:
        c, h = world.client, world.headers()
        issued = c.post("/api/v1/admin/tenants/ymere/keys", headers=h,
                        json={"name": "x", "scopes": ["admin"]}).json
        keys = [world.admin_key, *world.keys.values(), issued["key"]]
        for key in keys:
            assert c.get("/api/v1/admin/tenants", headers={"Authorization": f"Bearer {key}"}) \
                .status_code == 200
        c.post(f"/api/v1/admin/tenants/ymere/keys/{issued['id']}/revoke", headers=h)
        c.get("/api/v1/admin/tenants", headers={"Authorization": f"Bearer {issued['key']}"})
        c.get("/api/v1/admin/tenants", headers={"Authorization": f"Bearer {keys[1]}x"})
    finally:
        logger.removeHandler(handler)
        handler.close()
    logs = log_file.read_text()
    database = _dump_database(world.container.engine)
    assert issued["id"] in logs, "the key id is what logs show"
    for key in keys:
        secret = key.split("_", 2)[2]
        assert secret not in logs
        assert secret not in database
        assert key not in database
    if world.container.engine.url.get_backend_name() == "sqlite":
        raw = b"".join(p.read_bytes() for p in tmp_path.glob("ketenhub.db*"))
        for key in keys:
            assert key.encode() not in raw
    assert not re.search(r"kh_[a-z0-9]{12}_[A-Za-z0-9_-]{20,}", logs)
