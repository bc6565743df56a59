"""``python -m converter``: the ``perftest-convert`` command, for environments without the console script."""

from converter.cli import main

if __name__ == "__main__":
    main(prog_name="perftest-convert")
