"""What gunicorn and `flask` load: `app = create_app()`. A site that cannot start says why in one line."""
import sys

from core import create_app
from core.errors import StartupError

try:
    app = create_app()
except StartupError as exc:
    print(f"kefu: {exc}", file=sys.stderr)
    sys.exit(1)
# A missing or broken search index is rebuilt in the background while the site answers.
app.extensions["kefu_search"].check()
