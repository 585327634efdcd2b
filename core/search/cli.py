"""`kefu reindex`: rebuild the search index from the database, beside the live one, while the site stays up."""
import gc
import os
import time

import click
from flask import current_app
from flask.cli import with_appcontext

from core.search.indexer import RebuildFailed, RebuildRunning, rebuild


@click.command("reindex", help="Rebuild the search index from the database. The site keeps searching the "
                               "old index until the new one is complete, then switches to it.")
@click.option("--processes", "-p", type=click.IntRange(1, 64), default=lambda: min(os.cpu_count() or 1, 4),
              show_default="the number of CPUs, at most 4",
              help="Processes that index at the same time. Fewer leave more of the machine to the site.")
@with_appcontext
def reindex_command(processes):
    bar = {}
    started = time.monotonic()

    def report(done, total):
        if "bar" not in bar:
            bar["bar"] = click.progressbar(length=total, label="Indexing", show_pos=True, show_eta=True)
            bar["bar"].__enter__()
            bar["done"] = 0
        bar["bar"].update(done - bar["done"])
        bar["done"] = done

    # This process and those it forks only rebuild: a writer holds millions of postings, and the garbage
    # collector's full passes over them grew with the index (at 20,000 tickets they were a fifth of the time).
    gc.disable()
    try:
        count = rebuild(report=report, processes=processes)
    except RebuildRunning:
        raise click.ClickException("another process is rebuilding the search index; try again when it is done") from None
    except RebuildFailed as failed:
        raise click.ClickException(f"the rebuild failed, the search index is unchanged:\n{failed}") from None
    finally:
        gc.enable()
        if "bar" in bar:
            bar["bar"].__exit__(None, None, None)
    backend = current_app.extensions["kefu_search"].backend.name
    click.echo(f"Indexed {count:,} tickets and articles ({backend}) in {time.monotonic() - started:.1f} s.")
