"""An archive with staff of every level, a normal, a secret, a confidential and a top-secret record, and a
customer account; each test signs in whom it needs."""
from datetime import date
from types import SimpleNamespace

import pytest

from core.extensions import db
from core.models import Customer, User
from tests.desk.conftest import as_user  # noqa: F401 - the desk's signed-in client fixture
from tests.helpers import create_user


@pytest.fixture
def archive(app):
    ids = SimpleNamespace()
    for key, role in (("agent", "agent"), ("lead", "supervisor"), ("boss", "manager"), ("root", "admin"),
                      ("quality", "quality")):
        setattr(ids, key, create_user(app, f"{key}@example.cn", role, name={"agent": "张晓燕", "lead": "王主管",
                                                                             "boss": "李经理", "root": "管理员",
                                                                             "quality": "质检员"}[key]))
    with app.app_context():
        rows = {
            "normal": Customer(name="许天佑", phone="13800138000", email="xu@example.cn", grade="key",
                               birthday=date(1980, 5, 31), notes="老客户，喜欢电话联系"),
            "secret": Customer(name="华润置地", kind="organisation", phone="075588886666", grade="strategic",
                               confidentiality="secret", notes="年度合同金额 1200 万"),
            "confidential": Customer(name="国网客户甲", phone="13900139000", grade="strategic",
                                     confidentiality="confidential", notes="涉及电网调度"),
            "top": Customer(name="绝密单位", phone="01088889999", grade="strategic", confidentiality="top_secret",
                            notes="只限管理员"),
        }
        db.session.add_all(rows.values())
        db.session.commit()
        for key, row in rows.items():
            setattr(ids, key, row.id)
    ids.portal_user = create_user(app, "c@example.cn", "customer", kind="customer")
    with app.app_context():
        db.session.get(User, ids.portal_user).customer_id = ids.normal
        db.session.commit()
    return ids

