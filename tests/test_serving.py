"""A serving process gets ready before its first request: the index checked, jieba loaded, what it loaded at
start kept out of the garbage collector's passes."""
import gc

from core.search import analysis
from core.serving import ready_to_serve


def test_a_served_app_is_ready_before_its_first_request(app):
    gc.unfreeze()
    try:
        ready_to_serve(app)
        assert analysis._jieba is not None
        assert gc.get_freeze_count() > 100_000  # the modules, the app and jieba's dictionary
        assert app.test_client().get("/login").status_code == 200
    finally:
        gc.unfreeze()
