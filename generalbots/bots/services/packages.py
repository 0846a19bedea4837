from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from generalbots.bots.models import Bot
from generalbots.bots.packages import Package, discover, package_roots, read_package
from generalbots.core.exceptions import ApplicationError
from generalbots.core.models import Organization
from generalbots.core.services import organization_get_default


@dataclass(frozen=True)
class LoadResult:
    name: str
    path: Path
    status: str  # "created", "updated", "unchanged" or "skipped"
    detail: str = ""


@transaction.atomic
def bot_upsert_from_package(*, package: Package, organization: Organization | None = None) -> tuple[Bot, str]:
    """Create or update the bot of a package; returns the bot and created/updated/unchanged.

    A bot whose package did not change (same path and version hash) is left as it is.
    """
    bot = Bot.objects.select_for_update().filter(name=package.name).first()
    if bot is None:
        bot = Bot.objects.create(
            name=package.name,
            title=package.title,
            source_path=str(package.path),
            version_hash=package.version_hash,
            config=package.config,
            organization=organization or organization_get_default(),
        )
        return bot, "created"
    if bot.version_hash == package.version_hash and bot.source_path == str(package.path):
        return bot, "unchanged"
    bot.title = package.title
    bot.source_path = str(package.path)
    bot.version_hash = package.version_hash
    bot.config = package.config
    bot.save(update_fields=["title", "source_path", "version_hash", "config", "updated_at"])
    return bot, "updated"


def packages_load(*, roots: list[Path] | None = None) -> list[LoadResult]:
    """Load every package found under ``roots`` (default: templates and ``GB_BOTS_DIRS``).

    When two packages have the same name the first found wins and the other is skipped.
    """
    results: list[LoadResult] = []
    seen: dict[str, Path] = {}
    for path in discover(package_roots() if roots is None else roots):
        package = read_package(path)
        if package.name in seen:
            detail = f"a package named {package.name!r} was already loaded from {seen[package.name]}"
            results.append(LoadResult(package.name, path, "skipped", detail))
            continue
        seen[package.name] = path
        _bot, status = bot_upsert_from_package(package=package)
        results.append(LoadResult(package.name, path, status))
    return results


def bot_reload(*, bot: Bot) -> str:
    """Read the bot's package again from its source path; returns updated/unchanged."""
    path = Path(bot.source_path)
    if not bot.source_path or not path.is_dir():
        raise ApplicationError(
            f"The package of {bot.name} is not on disk ({bot.source_path or 'no source path'}).",
            code="bots.package_missing",
            extra={"bot": bot.name, "path": bot.source_path},
        )
    _bot, status = bot_upsert_from_package(package=read_package(path))
    return status


def bot_set_active(*, bot: Bot, active: bool) -> Bot:
    bot.is_active = active
    bot.save(update_fields=["is_active", "updated_at"])
    return bot
