"""What gunicorn and `flask` load: `app = create_app()`. A site that cannot start says why in one line."""
import sys

from core import create_app
from core.errors import StartupError
from core.serving import ready_to_serve

try:
    app = create_app()
except StartupError as exc:
    print(f"kefu: {exc}", file=sys.stderr)
    sys.exit(1)
ready_to_serve(app)
