from django.core.exceptions import ValidationError
from django.core.validators import slug_re
from django.db import connection
from django.db.models import FilteredRelation, Q, QuerySet

from generalbots.bots.models import Bot, BotAccess, BotScript, Conversation, Message
from generalbots.core.exceptions import NotFoundError, PermissionDeniedError
from generalbots.core.fastsql import PreparedSelect
from generalbots.core.models import Organization


def bot_get(*, name: str) -> Bot:
    try:
        return Bot.objects.select_related("organization").get(name=name)
    except Bot.DoesNotExist:
        raise NotFoundError(f"No bot named {name!r}.", code="bots.not_found", extra={"name": name}) from None


def script_current(*, bot: Bot, name: str) -> BotScript | None:
    """The current version of the bot's script ``name`` (case-insensitive), or None."""
    return BotScript.objects.current().filter(bot=bot, name=name.lower()).order_by().first()  # one current per name


def bot_config_variables(*, bot: Bot) -> dict:
    """The bot's ``param-NAME`` config rows as script variables: number, boolean or text."""
    variables = {}
    for key, raw in (bot.config or {}).items():
        if key.lower().startswith("param-") and len(key) > 6:
            variables[key[6:].lower()] = typed_value(raw)
    return variables


def typed_value(raw: str):
    """Typed text as a value: ``true``/``false``, a number, or the text itself — what a bot's
    ``param-NAME`` config row means, and what the console's forms make of what people type."""
    text = str(raw).strip()
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    try:
        number = float(text)
    except ValueError:
        return text
    return int(number) if number.is_integer() and "." not in text and "e" not in text.lower() else number


def conversation_get_for_user(*, bot: Bot, user, conversation_id) -> Conversation:
    """A conversation of ``user`` with ``bot``; NotFoundError for anyone else's or a bad id."""
    try:
        return Conversation.objects.select_related("bot").get(pk=conversation_id, bot=bot, user=user)
    except (Conversation.DoesNotExist, ValidationError, ValueError, TypeError):  # missing or not a UUID
        raise NotFoundError(f"No conversation {conversation_id} of yours with {bot.name}.",
                            code="bots.conversation_not_found", extra={"conversation": str(conversation_id)}) from None


def conversation_messages(*, conversation: Conversation) -> QuerySet[Message]:
    """The messages of a conversation in delivery order."""
    return Message.objects.filter(conversation=conversation).order_by("id")


def conversation_recent_messages(*, conversation: Conversation, limit: int = 50) -> list[Message]:
    return list(reversed(Message.objects.filter(conversation=conversation).order_by("-id")[:limit]))


# --------------------------------------------------------------------------- access to bots
# One rule for the dashboard, the workflow API and approvals: superusers reach every bot;
# everyone else reaches the bots a BotAccess row grants to them or to one of their groups.


def bots_visible_to(*, user, operate: bool = False) -> QuerySet[Bot]:
    """The bots ``user`` may see (``operate``: may also start, cancel, retry and decide)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Bot.objects.none()
    if user.is_superuser:
        return Bot.objects.all()
    grants = BotAccess.objects.for_user(user)
    if operate:
        grants = grants.filter(can_operate=True)
    return Bot.objects.filter(pk__in=grants.values("bot_id"))


def _not_found(name: str) -> NotFoundError:
    return NotFoundError(f"No bot named {name!r}.", code="bots.not_found", extra={"name": name})


def _not_operator(bot: Bot) -> PermissionDeniedError:
    return PermissionDeniedError(f"You may watch {bot.name!r} but not operate it; ask for an operator grant.",
                                 code="bots.not_operator", extra={"name": bot.name})


def bot_access_check(*, user, bot: Bot, operate: bool = False) -> None:
    """Raise NotFoundError when ``user`` may not see ``bot`` and PermissionDeniedError when
    they may see it but ``operate`` is asked and not granted."""
    if not bots_visible_to(user=user).filter(pk=bot.pk).exists():
        raise _not_found(bot.name)
    if operate and not bots_visible_to(user=user, operate=True).filter(pk=bot.pk).exists():
        raise _not_operator(bot)


def _granted(name, user_id, *, operate: bool):
    grants = BotAccess.objects.filter(Q(user_id=user_id) | Q(group__user__id=user_id))
    if operate:
        grants = grants.filter(can_operate=True)
    return (Bot.objects.select_related("organization").filter(name=name, pk__in=grants.values("bot_id"))
            .order_by()[:1])


# ``bot_get_for_user``'s lookups, compiled once per process (``fastsql.PreparedSelect``): every
# workflow start makes one, and building it in the ORM cost more than the query. The same rule
# as ``bots_visible_to``: every bot for a superuser, else a grant to the user or one of their
# groups (with ``can_operate`` to operate).
_NAME = Bot._meta.get_field("name")
_GRANTEE = BotAccess._meta.get_field("user")
_ANY_BOT = PreparedSelect(lambda name: Bot.objects.select_related("organization").filter(name=name).order_by()[:1],
                          _NAME)
_VISIBLE_BOT = PreparedSelect(lambda name, user_id: _granted(name, user_id, operate=False), _NAME, _GRANTEE)
_OPERATED_BOT = PreparedSelect(lambda name, user_id: _granted(name, user_id, operate=True), _NAME, _GRANTEE)


def bot_get_for_user(*, name: str, user, operate: bool = False) -> Bot:
    """The bot called ``name`` when ``user`` may see it (``operate``: and operate it).

    What every interface acting for a user calls (chat API, websocket and pages, workflow and
    memory APIs). A bot the user may not see gets exactly the answer of a bot that does not
    exist (NotFoundError ``bots.not_found``), so other organizations' bots are never
    confirmed; a visible bot without the operator grant, when ``operate`` is asked, is
    PermissionDeniedError ``bots.not_operator``. One query (a second only to tell a
    read-only grant from none, when ``operate`` is refused).
    """
    name = str(name)
    if not slug_re.match(name):  # no bot has such a name; never sent to the database (NUL bytes)
        raise _not_found(name)
    if user is None or not user.is_authenticated or not user.is_active:
        raise _not_found(name)
    if user.is_superuser:
        bot = _ANY_BOT.get(name)
    else:
        bot = (_OPERATED_BOT if operate else _VISIBLE_BOT).get(name, user.pk)
    if bot is not None:
        return bot
    if operate and not user.is_superuser and _VISIBLE_BOT.get(name, user.pk) is not None:
        raise _not_operator(Bot(name=name))
    raise _not_found(name)


def organizations_for_package_upload(*, user) -> QuerySet[Organization]:
    """Where ``user`` may upload packages: superusers anywhere; other staff into the
    organizations of the bots they operate (there is no user-to-organization link: operating
    a bot of an organization is what makes someone one of its people)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Organization.objects.none()
    if user.is_superuser:
        return Organization.objects.all()
    return Organization.objects.filter(pk__in=bots_visible_to(user=user, operate=True).values("organization_id"))


# --------------------------------------------------------------------------- bots by name in an organization
# What scripts name (BOT steps, DELEGATE, BOT SHARE / SYNC MEMORY, the start check of a workflow)
# resolves inside the organization of the run's bot, never across organizations. A name that
# only another organization uses is answered exactly like a name nobody uses.


def bots_named_in_organization(*, names, organization_id) -> QuerySet[Bot]:
    """The bots of organization ``organization_id`` called one of ``names`` (exact names)."""
    return Bot.objects.filter(organization_id=organization_id, name__in=[str(n) for n in names])


# Compiled once per process: a BOT step of a lone slice looks its bot up with no ORM compile.
_BOT_START = PreparedSelect(
    lambda organization_id, name: BotScript.objects.current()
    .filter(name="start", bot__organization_id=organization_id, bot__name=name).select_related("bot").order_by()[:1],
    Bot._meta.get_field("organization"), Bot._meta.get_field("name"))


def bot_with_start_script(*, name: str, organization_id) -> tuple[Bot, BotScript | None]:
    """The bot called ``name`` in organization ``organization_id`` and its current start.bas
    (None when it has none): one query when it has one (the script with its bot joined), the
    answers of ``bot_get_in_organization`` otherwise (NotFoundError ``bots.not_found``)."""
    name = str(name).strip()
    script = _BOT_START.get(organization_id, name) if name else None
    if script is not None:
        return script.bot, script
    return bot_get_in_organization(name=name, organization_id=organization_id), None


def bot_start_scripts(*, names, organization_id) -> dict[str, BotScript | None]:
    """For each bot of organization ``organization_id`` called one of ``names``: its current
    start.bas (id, path and source hash; the source is not read) or None when it has none. One
    query; on PostgreSQL a statement of one shape whatever the names (``= ANY``), built once."""
    names = sorted({str(n) for n in names})
    if not names:
        return {}
    if connection.vendor != "postgresql":
        start = FilteredRelation("scripts", condition=Q(scripts__name="start", scripts__is_current=True))
        rows = (bots_named_in_organization(names=names, organization_id=organization_id).annotate(start=start)
                .order_by().values_list("name", "start__pk", "start__path", "start__source_hash"))
    else:
        with connection.cursor() as cursor:
            cursor.execute(_start_scripts_sql(), [organization_id, names])
            rows = cursor.fetchall()
    return {name: BotScript(pk=pk, path=path, source_hash=digest, name="start") if pk else None
            for name, pk, path, digest in rows}


_START_SCRIPTS_SQL: list[str] = []


def _col(meta, field: str) -> str:
    return connection.ops.quote_name(meta.get_field(field).column)


def _start_scripts_sql() -> str:
    if not _START_SCRIPTS_SQL:
        bot, script = Bot._meta, BotScript._meta
        q, col = connection.ops.quote_name, _col
        _START_SCRIPTS_SQL.append(
            f"SELECT b.{col(bot, 'name')}, s.{col(script, 'id')}, s.{col(script, 'path')}, "
            f"s.{col(script, 'source_hash')} FROM {q(bot.db_table)} b LEFT JOIN {q(script.db_table)} s "
            f"ON s.{col(script, 'bot')} = b.{col(bot, 'id')} AND s.{col(script, 'name')} = 'start' "
            f"AND s.{col(script, 'is_current')} WHERE b.{col(bot, 'organization')} = %s "
            f"AND b.{col(bot, 'name')} = ANY(%s::text[])")
    return _START_SCRIPTS_SQL[0]


def start_unchanged(*, script: BotScript, called: dict[str, object], named=(), organization_id) -> tuple[str, list]:
    """SQL (a condition, with its parameters) that holds while what a start of ``script`` checked
    still holds: ``script`` is the current version, with the ``updated_at`` it had (every save
    of a version moves it); organization ``organization_id`` still has, for each name of
    ``called``, a bot of that name whose current start.bas is the version of that id
    (``bot_start_scripts`` found it), and a bot of each name of ``named``. Checked again inside
    a later start's INSERT (``workflows.services``)."""
    bot, meta = Bot._meta, BotScript._meta
    q, col = connection.ops.quote_name, _col
    parts = [f"EXISTS (SELECT 1 FROM {q(meta.db_table)} WHERE {col(meta, 'id')} = %s AND "
             f"{col(meta, 'is_current')} AND {col(meta, 'updated_at')} = %s)"]
    params = [script.pk, script.updated_at]
    if called:
        parts.append(
            f"(SELECT count(DISTINCT b.{col(bot, 'name')}) FROM {q(meta.db_table)} s JOIN {q(bot.db_table)} b "
            f"ON b.{col(bot, 'id')} = s.{col(meta, 'bot')} WHERE s.{col(meta, 'is_current')} "
            f"AND b.{col(bot, 'organization')} = %s AND (b.{col(bot, 'name')}, s.{col(meta, 'id')}) IN "
            f"(SELECT * FROM unnest(%s::text[], %s::{meta.pk.db_type(connection)}[]))) = %s")
        names = sorted(called)
        params += [organization_id, names, [called[name] for name in names], len(names)]
    if named:
        parts.append(f"(SELECT count(DISTINCT {col(bot, 'name')}) FROM {q(bot.db_table)} "
                     f"WHERE {col(bot, 'organization')} = %s AND {col(bot, 'name')} = ANY(%s::text[])) = %s")
        params += [organization_id, sorted(named), len(set(named))]
    return " AND ".join(parts), params


def bot_get_in_organization(*, name: str, organization_id) -> Bot:
    """The bot called ``name`` in organization ``organization_id``; NotFoundError ``bots.not_found``
    (the same answer as for a bot that does not exist) when that organization has none."""
    name = str(name).strip()
    found = bots_named_in_organization(names=[name], organization_id=organization_id).first() if name else None
    if found is None:
        raise NotFoundError(f"No bot named {name!r}.", code="bots.not_found", extra={"name": name})
    return found
