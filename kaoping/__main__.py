from kaoping.cli import run

run()
