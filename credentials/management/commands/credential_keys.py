from django.core.management.base import BaseCommand, CommandError

from credentials import keys


class Command(BaseCommand):
    help = (
        "Credential signing keys: 'list' them, 'rotate' (a new key signs from now on; old ones "
        "stay published) or 'retire KID' (keep only its public half)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["list", "rotate", "retire"])
        parser.add_argument("kid", nargs="?")

    def handle(self, *args, action, kid=None, **options):
        try:
            if action == "rotate":
                self.stdout.write(keys.generate_key())
            elif action == "retire":
                if not kid:
                    raise CommandError("Name the key to retire.")
                keys.retire_key(kid)
            for line in keys.describe_keys():
                self.stdout.write(line)
        except keys.SigningKeyError as error:
            raise CommandError(error.args[0]) from error
