"""kg report: one offline HTML page of the store (kg/ops/report)."""

from __future__ import annotations

from pathlib import Path

import click

from kg.commands.common import UsageProblem, endpoint_option, fail, opened_store, store_option


@click.command()
@click.option("-o", "--output", default="report.html", show_default=True, type=click.Path(dir_okay=False),
              help="The HTML file to write (one self-contained page; opens with no network).")
@click.option("--place", metavar="NAME", help="Only events at this place or inside it.")
@click.option("--from", "date_from", type=click.DateTime(["%Y-%m-%d"]), metavar="DATE", help="Earliest date YYYY-MM-DD.")
@click.option("--to", "date_to", type=click.DateTime(["%Y-%m-%d"]), metavar="DATE", help="Latest date YYYY-MM-DD.")
@click.option("--actor", metavar="NAME", help="Only events this actor fought in or backed (and its backing).")
@store_option
@endpoint_option
def report(output, place, date_from, date_to, actor, store_path, endpoint) -> None:
    """One offline HTML report: map, timeline, actor network, control and disputed events."""
    from kg.ops.report import Filters, ReportInputError, write_report

    if date_from and date_to and date_from > date_to:
        raise UsageProblem("--from is after --to")
    if not Path(output).resolve().parent.is_dir():
        fail(f"cannot write {output}: no such folder")
    f = Filters(place, date_from and date_from.date(), date_to and date_to.date(), actor)
    with opened_store(store_path, endpoint, read_only=True, also=(ReportInputError, OSError)) as store:
        r = write_report(store, output, f)
    click.echo(f"wrote {r.path}: {r.events} merged events ({r.located} on the map), {r.bytes / 1e6:.2f} MB", err=True)
