from core import create_app


def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_is_503_when_the_database_cannot_be_reached(instance_path, tmp_path):
    # A site that names its plugins starts without the database, and says the database is down.
    app = create_app({"INSTANCE_PATH": str(instance_path), "PLUGINS": [], "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/no-such-dir/kefu.db"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "unavailable"}
