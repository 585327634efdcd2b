"""The plugin system. Plugins write `from core.plugins import hookimpl`."""
import pluggy

PROJECT = "kefu"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)
ENTRY_POINT_GROUP = "kefu.plugins"
