from briefgen.cli import run

run()
