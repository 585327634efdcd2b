"""What a serving process does once its app is built, before its first request (wsgi.py)."""
import gc

from core.search.analysis import segmenter


def ready_to_serve(app):
    """Check the search index (a missing or broken one is rebuilt in the background while the site answers),
    then settle the process."""
    app.extensions["kefu_search"].check()
    settle()


def settle():
    """Load jieba's dictionary now rather than in someone's first search, then move everything loaded so far
    (modules, plugins, the dictionary's hundreds of thousands of objects) out of the garbage collector's
    reach: it lives as long as the process, and each full collection walked all of it, a tenth of a second
    at a time in the middle of a request."""
    segmenter()
    gc.collect()
    gc.freeze()
