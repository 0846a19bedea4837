"""READ / WRITE / LIST / COPY / MOVE / DELETE FILE / DOWNLOAD: each bot's files, in its own folder.

``DOWNLOAD url [, path]`` fetches ``url`` through the outbound-HTTP guard (as ``GET``; private
addresses only with ``http-allow-private,true``) into ``path`` (by default the last part of the
URL's path, else ``download``) and returns that path; at most ``MAX_FILE_BYTES``.

A bot's storage is ``GB_STORAGE_DIR/<bot id>/`` (:func:`storage_root`): found by the bot's
identity, never by its name. A name is free again once its bot is renamed or deleted, and the
next bot to take it may belong to another organization, so a folder named after the bot would
hand it the files of the bot that had the name before. A renamed bot keeps its files; a deleted
bot's folder is removed once the delete commits (``workflows.apps``). A script names files by paths
inside that folder: absolute paths are refused, and so is every path whose resolved form
(``..`` and symbolic links followed) lies outside it. Errors name the keyword and the
script's own argument, never a server path or a Python exception.
"""

from __future__ import annotations

import logging
import re
import shutil
import urllib.parse
import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction

from generalbots.basic import BasicRuntimeError
from generalbots.basic.values import from_json_text, to_text
from workflows.runtime.guard import http_download

logger = logging.getLogger("generalbots.scripts")

MAX_FILE_BYTES = 10_000_000
_SHOWN_CHARS = 120
_ABSOLUTE = re.compile(r"[/\\]|[A-Za-z]:[/\\]")


def storage_path(bot_id) -> Path:
    """Where the storage of the bot with the primary key ``bot_id`` lives (see the module docstring)."""
    return Path(settings.GB_STORAGE_DIR) / uuid.UUID(str(bot_id)).hex


def storage_root(bot, *, keyword: str = "files") -> Path:
    """The bot's own storage folder, created on first use."""
    root = storage_path(bot.pk).resolve()
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError:
        logger.exception("Cannot create the storage folder of bot %s", bot.name)
        raise BasicRuntimeError(f"{keyword}: the bot's file storage is not available; ask an operator") from None
    return root


def storage_remove_on_delete(sender, instance, **kwargs) -> None:
    """``post_delete`` of a bot: its storage folder goes once the delete commits (nothing if it
    rolls back)."""
    root = storage_path(instance.pk)

    def remove() -> None:
        try:
            shutil.rmtree(root)
        except FileNotFoundError:
            pass
        except OSError:
            logger.exception("Cannot remove the storage folder %s of deleted bot %s", root, instance.name)

    transaction.on_commit(remove, using=kwargs.get("using"))


def _shown(text: str) -> str:
    """The script's argument as the error shows it: quoted, shortened."""
    if len(text) > _SHOWN_CHARS:
        text = text[:_SHOWN_CHARS] + "…"
    return '"' + text.replace('"', '""') + '"'


def _os_error(keyword: str, name: str, exc: OSError) -> BasicRuntimeError:
    """An OSError as the script sees it: the keyword and its own argument, no server path."""
    shown = _shown(name)
    if isinstance(exc, shutil.SameFileError):
        return BasicRuntimeError(f"{keyword}: {shown} is the file itself")
    if isinstance(exc, FileNotFoundError):
        return BasicRuntimeError(f"{keyword}: no file {shown} in this bot's storage")
    if isinstance(exc, IsADirectoryError):
        return BasicRuntimeError(f"{keyword}: {shown} is a folder, not a file")
    if isinstance(exc, (NotADirectoryError, FileExistsError)):
        return BasicRuntimeError(f"{keyword}: a part of {shown} is a file, not a folder")
    if isinstance(exc, PermissionError):
        return BasicRuntimeError(f"{keyword}: {shown} may not be changed")
    logger.warning("%s %s failed: %s", keyword, name, exc)
    return BasicRuntimeError(f"{keyword}: {shown} failed: {exc.strerror or 'input/output error'}")


class FileKeywords:
    """The file keywords of ``RunHost`` (needs ``self.bot``)."""

    def _path(self, keyword: str, path) -> tuple[Path, str]:
        """The resolved target of the script's ``path`` and the text of it, refused with a clear
        error when absolute or outside the bot's folder."""
        text = "" if path is None else to_text(path)
        if "\x00" in text:
            raise BasicRuntimeError(f"{keyword}: the path {_shown(text.replace(chr(0), ''))} holds a NUL character")
        if _ABSOLUTE.match(text):
            raise BasicRuntimeError(f"{keyword}: {_shown(text)} is an absolute path; name a file inside this "
                                    'bot\'s storage, like "reports/today.txt"')
        root = storage_root(self.bot, keyword=keyword)
        try:
            target = (root / text).resolve()
        except (OSError, RuntimeError):  # a symbolic-link loop, a name too long
            raise BasicRuntimeError(f"{keyword}: {_shown(text)} cannot be opened") from None
        if target != root and root not in target.parents:
            raise BasicRuntimeError(f"{keyword}: {_shown(text)} is outside this bot's storage")
        return target, text

    def _source(self, keyword: str, path) -> tuple[Path, str]:
        target, text = self._path(keyword, path)
        if target.is_dir():
            raise BasicRuntimeError(f"{keyword}: {_shown(text)} is a folder, not a file")
        if not target.is_file():
            raise BasicRuntimeError(f"{keyword}: no file {_shown(text)} in this bot's storage")
        return target, text

    def read_file(self, ctx, path):
        target, text = self._source("READ", path)
        try:
            if target.stat().st_size > MAX_FILE_BYTES:
                raise BasicRuntimeError(f"READ: {_shown(text)} is larger than {MAX_FILE_BYTES} bytes")
            content = target.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            raise _os_error("READ", text, exc) from None
        if target.suffix.lower() == ".json":
            return from_json_text(content)
        return content

    def write_file(self, ctx, path, data):
        target, text = self._path("WRITE", path)
        content = data if isinstance(data, str) else to_text(data)
        if len(content.encode()) > MAX_FILE_BYTES:
            raise BasicRuntimeError(f"WRITE: more than {MAX_FILE_BYTES} bytes")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
        except OSError as exc:
            raise _os_error("WRITE", text, exc) from None

    def download(self, ctx, url, path=None):
        if path in (None, ""):
            name = urllib.parse.urlsplit(to_text(url)).path.rstrip("/").rsplit("/", 1)[-1]
            path = urllib.parse.unquote(name) or "download"
        target, text = self._path("DOWNLOAD", path)
        allow = self.bot.config_value("http-allow-private").strip().lower() in ("true", "yes", "1")
        content = http_download(url, allow_private=allow)
        if len(content) > MAX_FILE_BYTES:
            raise BasicRuntimeError(f"DOWNLOAD: more than {MAX_FILE_BYTES} bytes")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        except OSError as exc:
            raise _os_error("DOWNLOAD", text, exc) from None
        return text

    def list_files(self, ctx, path):
        target, text = self._path("LIST", path or "")
        if not target.is_dir():
            return []
        try:
            return sorted(p.name for p in target.iterdir())
        except OSError as exc:
            raise _os_error("LIST", text, exc) from None

    def delete_file(self, ctx, path):
        target, text = self._path("DELETE FILE", path)
        if target.is_file():
            try:
                target.unlink()
            except OSError as exc:
                raise _os_error("DELETE FILE", text, exc) from None

    def copy_file(self, ctx, source, destination):
        self._transfer("COPY", source, destination, shutil.copyfile)

    def move_file(self, ctx, source, destination):
        self._transfer("MOVE", source, destination, lambda origin, target: origin.replace(target))

    def _transfer(self, keyword: str, source, destination, action) -> None:
        """COPY and MOVE: both paths inside the bot's folder, the destination's folders made."""
        origin, _ = self._source(keyword, source)
        target, text = self._path(keyword, destination)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            action(origin, target)
        except OSError as exc:
            raise _os_error(keyword, text, exc) from None
