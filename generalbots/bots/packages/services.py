"""Packages into bots: load, reload, upload; dialogs into versioned BotScript rows."""

import logging
import shutil
import stat
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.validators import slug_re
from django.db import IntegrityError, transaction

from generalbots.bots.models import Bot, BotAccess, BotScript
from generalbots.bots.packages.files import (SUFFIX, Dialog, Package, discover, package_name, package_name_problem,
                                             package_roots, read_package)
from generalbots.bots.programs import analyse_script, source_hash
from generalbots.bots.selectors import bots_visible_to, organizations_for_package_upload
from generalbots.bots.signals import package_loaded
from generalbots.core.exceptions import ApplicationError, ConflictError, PermissionDeniedError
from generalbots.core.models import Organization
from generalbots.core.services import organization_get_default

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoadResult:
    name: str
    path: Path
    status: str  # "created", "updated", "unchanged", "skipped" or "failed"
    detail: str = ""


def bot_script_upsert(*, bot: Bot, name: str, path: str, source: str) -> BotScript:
    """Make ``source`` the current version of the bot's script ``name``.

    A version with the same source hash is reused (and rechecked); other versions of the name
    stop being current but stay, for the runs pinned to them.
    """
    digest = source_hash(source)
    analysis = analyse_script(name=name, source=source, path=path)
    fields = {"path": path, "source": source, "is_current": True, "is_tool": analysis.is_tool,
              "tool_schema": analysis.schema, "problems": analysis.problems}
    BotScript.objects.filter(bot=bot, name=name, is_current=True).exclude(source_hash=digest).update(is_current=False)
    script, _ = BotScript.objects.update_or_create(bot=bot, name=name, source_hash=digest, defaults=fields)
    return script


def bot_scripts_sync(*, bot: Bot, dialogs: tuple[Dialog, ...]) -> list[BotScript]:
    """Make ``dialogs`` the bot's current scripts; scripts no longer in the package retire."""
    scripts = [bot_script_upsert(bot=bot, name=d.name, path=d.path, source=d.source) for d in dialogs]
    BotScript.objects.filter(bot=bot, is_current=True).exclude(pk__in=[s.pk for s in scripts]).update(is_current=False)
    return scripts


def _name_error(folder: str) -> ApplicationError | None:
    problem = package_name_problem(folder)
    return None if problem is None else ApplicationError(problem, code="bots.invalid_name", extra={"folder": folder})


def _name_taken(name: str) -> ConflictError:
    return ConflictError(f"The name {name!r} belongs to another organization: give the package another name.",
                         code="bots.name_taken", extra={"name": name})


@transaction.atomic
def bot_upsert_from_package(*, package: Package, organization: Organization | None = None) -> tuple[Bot, str]:
    """Create or update the bot of a package and its scripts; returns the bot and
    created/updated/unchanged. A package that did not change (same path and version hash,
    scripts loaded) is left as it is.

    The package acts inside ``organization``: a new bot is created there, and a bot of that
    name in another organization is refused (ConflictError ``bots.name_taken``, nothing
    written). Without ``organization`` (``gb load`` without ``--organization``, reloads) a new
    bot goes to the default organization and an existing bot keeps its own. A package folder
    that does not give a valid bot name (``-.gbai``, ``..gbai``) is refused
    (``bots.invalid_name``).
    """
    error = _name_error(package.path.name)
    if error is not None:
        raise error
    bot = Bot.objects.select_for_update().filter(name=package.name).first()
    if bot is not None and organization is not None and bot.organization_id != organization.pk:
        raise _name_taken(package.name)
    manifest = {"knowledge_bases": list(package.knowledge_bases), "dialogs": [d.path for d in package.dialogs]}
    if bot is None:
        try:
            with transaction.atomic():  # another process may create the same name meanwhile
                bot = Bot.objects.create(
                    name=package.name, title=package.title, source_path=str(package.path),
                    version_hash=package.version_hash, config=package.config,
                    organization=organization or organization_get_default(), manifest=manifest,
                    theme_css=package.theme_css,
                )
        except IntegrityError:
            raise _name_taken(package.name) from None
        status = "created"
    elif (bot.version_hash == package.version_hash and bot.source_path == str(package.path)
          and bot.manifest.get("dialogs") == manifest["dialogs"]):
        return bot, "unchanged"
    else:
        bot.title = package.title
        bot.source_path = str(package.path)
        bot.version_hash = package.version_hash
        bot.config = package.config
        bot.manifest = manifest
        bot.theme_css = package.theme_css
        status = "updated"
    scripts = bot_scripts_sync(bot=bot, dialogs=package.dialogs)
    reactions = package_loaded.send(sender=Bot, bot=bot, package=package, status=status)
    bot.problems = ([p.as_dict() for p in package.problems] + [p for s in scripts for p in s.problems]
                    + [p for _receiver, problems in reactions for p in problems or ()])
    bot.save()
    return bot, status


def packages_load(*, roots: list[Path] | None = None, organization: Organization | None = None) -> list[LoadResult]:
    """Load every package found under ``roots`` (default: templates and ``GB_BOTS_DIRS``)
    inside ``organization`` (see ``bot_upsert_from_package``).

    When two packages have the same name the first found wins and the other is skipped. A
    package that cannot be loaded at all (its name is invalid or another organization's, ...)
    is reported as failed; the others still load.
    """
    results: list[LoadResult] = []
    seen: dict[str, Path] = {}
    for path in discover(package_roots() if roots is None else roots):
        try:
            package = read_package(path)
            if package.name in seen:
                detail = f"a package named {package.name!r} was already loaded from {seen[package.name]}"
                results.append(LoadResult(package.name, path, "skipped", detail))
                continue
            seen[package.name] = path
            _bot, status = bot_upsert_from_package(package=package, organization=organization)
        except ApplicationError as exc:
            logger.warning("Could not load the package %s: %s", path, exc.message)
            results.append(LoadResult(path.name.removesuffix(SUFFIX), path, "failed", exc.message))
            continue
        except Exception as exc:  # one broken package must not stop the others
            logger.exception("Could not load the package %s", path)
            results.append(LoadResult(path.name.removesuffix(SUFFIX), path, "failed", f"{type(exc).__name__}: {exc}"))
            continue
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
    _bot, status = bot_upsert_from_package(package=read_package(path), organization=bot.organization)
    return status


def bot_set_active(*, bot: Bot, active: bool) -> Bot:
    bot.is_active = active
    bot.save(update_fields=["is_active", "updated_at"])
    return bot


# --------------------------------------------------------------------------- upload

def _upload_error(message: str, **extra) -> ApplicationError:
    return ApplicationError(message, code="bots.invalid_package", extra=extra)


def _member_parts(info: zipfile.ZipInfo) -> tuple[str, ...]:
    """The path parts of a zip member; refuses what could land outside the target folder."""
    name = info.filename.replace("\\", "/")
    path = PurePosixPath(name)
    if name.startswith("/") or (path.parts and ":" in path.parts[0]) or ".." in path.parts:
        raise _upload_error(f"The zip entry {info.filename!r} points outside the package.", entry=info.filename)
    if stat.S_ISLNK(info.external_attr >> 16):
        raise _upload_error(f"The zip entry {info.filename!r} is a symbolic link.", entry=info.filename)
    return tuple(p for p in path.parts if p not in ("", "."))


def _upload_allowed(*, name: str, organization: Organization, user) -> None:
    """Refuse, before anything is written, an upload into an organization that is not the
    bot's or (for a non-superuser ``user``) one they may not upload into or a bot they may not
    operate."""
    bot = Bot.objects.filter(name=name).only("pk", "organization_id").first()
    if bot is not None and bot.organization_id != organization.pk:
        raise _name_taken(name)
    if user is None or user.is_superuser:
        return
    if bot is not None and not bots_visible_to(user=user, operate=True).filter(pk=bot.pk).exists():
        raise PermissionDeniedError(f"You may not replace the bot {name!r}: that needs an operator grant on it.",
                                    code="bots.not_operator", extra={"name": name})
    if not organizations_for_package_upload(user=user).filter(pk=organization.pk).exists():
        raise PermissionDeniedError(f"You may not upload packages into {organization.name}: you operate none of "
                                    "its bots.", code="bots.organization_denied",
                                    extra={"organization": organization.slug})


def package_upload(*, file, filename: str, organization: Organization | None = None, user=None) -> LoadResult:
    """Install a ``.gbai`` zip into ``GB_PACKAGE_UPLOAD_DIR/<organization>/`` and load it
    into ``organization`` (default: the default organization) on behalf of ``user``.

    The zip holds one ``NAME.gbai/`` folder, or the contents of one (then NAME comes from the
    file name). Refused with a message naming the problem, nothing written: not a zip, larger
    than ``GB_PACKAGE_UPLOAD_MAX_BYTES`` (packed) or ``GB_PACKAGE_UNPACKED_MAX_BYTES``
    (unpacked), entries that are absolute, contain ``..`` or are links, a NAME that is not a
    valid bot name, a NAME another organization's bot has. A non-superuser ``user`` may only
    replace bots they operate and upload into organizations whose bots they operate; the bot
    they create gets them an operator grant. A package already uploaded under the same name is
    replaced only once the new one is unpacked.
    """
    organization = organization or organization_get_default()
    if not slug_re.match(organization.slug):  # it names a folder
        raise ApplicationError(f"The organization {organization.name} has no valid slug; fix it in the admin.",
                               code="bots.invalid_organization", extra={"organization": organization.slug})
    size = getattr(file, "size", None)
    if size is not None and size > settings.GB_PACKAGE_UPLOAD_MAX_BYTES:
        raise _upload_error(f"The file is {size} bytes; the limit is {settings.GB_PACKAGE_UPLOAD_MAX_BYTES}.")
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError):
        raise _upload_error(f"{filename} is not a zip file.") from None
    with archive:
        members = [(info, _member_parts(info)) for info in archive.infolist()]
        members = [(info, parts) for info, parts in members if parts and not parts[0].startswith("__MACOSX")]
        if not members:
            raise _upload_error(f"{filename} is empty.")
        unpacked = sum(info.file_size for info, _ in members)
        if unpacked > settings.GB_PACKAGE_UNPACKED_MAX_BYTES:
            raise _upload_error(f"The package unpacks to {unpacked} bytes; the limit is "
                                f"{settings.GB_PACKAGE_UNPACKED_MAX_BYTES}.")
        tops = {parts[0] for _info, parts in members}
        if len(tops) == 1 and next(iter(tops)).lower().endswith(SUFFIX) and all(len(p) > 1 or i.is_dir() for i, p in members):
            folder = next(iter(tops))
            members = [(info, parts[1:]) for info, parts in members if len(parts) > 1]
        elif any(top.lower().endswith(SUFFIX) for top in tops):
            raise _upload_error("The zip must hold exactly one NAME.gbai folder and nothing beside it.")
        else:
            stem = Path(filename).name
            for suffix in (".zip", SUFFIX):
                stem = stem.removesuffix(suffix)
            folder = stem + SUFFIX
        error = _name_error(folder)
        if error is not None:
            raise error
        _upload_allowed(name=package_name(Path(folder)), organization=organization, user=user)
        # One folder per organization: an upload never replaces another organization's files, even
        # when two organizations race for a new name (the database then refuses the loser).
        root = Path(settings.GB_PACKAGE_UPLOAD_DIR) / organization.slug
        root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".upload-", dir=root))
        try:
            target_new = staging / folder
            target_new.mkdir()
            for info, parts in members:
                destination = target_new.joinpath(*parts)
                if info.is_dir():
                    destination.mkdir(parents=True, exist_ok=True)
                    continue
                destination.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(info) as source, destination.open("wb") as out:
                    shutil.copyfileobj(source, out)
            final = root / folder
            if final.exists():
                final.rename(staging / "previous")  # removed with the staging folder
            target_new.rename(final)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    package = read_package(final)
    with transaction.atomic():
        bot, status = bot_upsert_from_package(package=package, organization=organization)
        if status == "created" and user is not None and not user.is_superuser:
            BotAccess.objects.create(bot=bot, user=user, can_operate=True)
    return LoadResult(package.name, final, status)
