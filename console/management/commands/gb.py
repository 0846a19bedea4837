from importlib import import_module

from django.core.management.base import BaseCommand

from console.cli import SUBCOMMANDS


class Command(BaseCommand):
    help = "General Bots command line: load packages, serve the platform, and more."

    def add_arguments(self, parser):
        subparsers = parser.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", required=True)
        for name in SUBCOMMANDS:
            module = import_module(f"console.cli.{name}")
            subparser = subparsers.add_parser(name.replace("_", "-"), help=module.HELP, description=module.HELP)
            module.add_arguments(subparser)
            subparser.set_defaults(subcommand_handler=module.handle)

    def handle(self, *args, **options):
        options["subcommand_handler"](self, options)
