"""The command-line face: entry point, Typer application, commands, output options, streams."""
