import pytest

from tests.plugins.example_plugin import ExamplePlugin


@pytest.fixture
def example():
    return ExamplePlugin()


@pytest.fixture
def plugin_app(make_app, example):
    """An app with the example plugin switched on."""
    return make_app(EXTRA_PLUGINS=[("example", example)], PLUGINS=["example"])
