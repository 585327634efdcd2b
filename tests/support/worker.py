"""`kefu worker` as a separate process on a test's database, as a site runs it."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def start_worker(database_url, instance_path, plugins="", *args, **env):
    """Start `kefu worker --once` (or with `args`); stdout and stderr together, as text."""
    environ = {**os.environ, "KEFU_INSTANCE_PATH": str(instance_path), "KEFU_SQLALCHEMY_DATABASE_URI": database_url,
               "KEFU_PLUGINS": plugins, "KEFU_SECRET_KEY": "test", "PYTHONPATH": ROOT, **env}
    command = [os.path.join(os.path.dirname(sys.executable), "kefu"), "worker", *(args or ("--once",))]
    return subprocess.Popen(command, env=environ, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
