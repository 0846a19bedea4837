import getpass
import sys

from django.core.management.base import BaseCommand, CommandError

from generalbots.bots.choices import Channel
from generalbots.bots.selectors import bot_get
from generalbots.bots.services import conversation_get_or_create
from workflows.conversations import conversation_post_message, conversation_run_to_confirm, conversation_start
from generalbots.core.exceptions import ApplicationError


class Command(BaseCommand):
    # An operator's tool on the server (whoever runs manage.py holds the database credentials):
    # like the admin's superusers it reaches every bot, so no bot access check here.
    help = ("Chat with a bot in the terminal: each line of standard input is a message, the bot's "
            "replies are printed. The conversation is kept between runs (per --user).")

    def add_arguments(self, parser):
        parser.add_argument("bot", help="the bot's name")
        parser.add_argument("--user", default=None, help="who you are in the conversation (default: your login name)")
        parser.add_argument("--yes", action="store_true",
                            help="start the workflow run of a workflow bot without asking first")

    def handle(self, *args, **options):
        try:
            bot = bot_get(name=options["bot"])
            user_key = f"terminal:{options['user'] or getpass.getuser()}"
            conversation = conversation_get_or_create(bot=bot, channel=Channel.TERMINAL, user_key=user_key)
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        interactive = sys.stdin.isatty()
        pending = conversation_run_to_confirm(conversation=conversation)
        if pending is not None and not options["yes"]:  # a workflow bot: chatting starts a real run
            self.stdout.write(pending.as_dict()["question"] + " [y/N]")
            self.stdout.flush()
            if sys.stdin.readline().strip().lower() not in ("y", "yes"):
                self.stdout.write("Not started.")
                return
        self._print(conversation_start(conversation=conversation, confirmed=True))
        while True:
            if interactive:
                self.stdout.write("> ", ending="")
                self.stdout.flush()
            line = sys.stdin.readline()
            if not line:
                break
            text = line.rstrip("\r\n")
            if not text.strip():
                continue
            try:
                result = conversation_post_message(conversation=conversation, text=text)
            except ApplicationError as exc:
                self.stderr.write(exc.message)
                continue
            self._print(result)

    def _print(self, result) -> None:
        for message in result.replies:
            self.stdout.write(message.text)
        if result.suggestions:
            self.stdout.write("[suggestions: " + " | ".join(result.suggestions) + "]")
        self.stdout.flush()
