"""The parts of the `kg` command line that are not the group itself (kg/cli.py): the error and
store plumbing every command shares, and the command families that have their own module."""
