"""The built-in offline model (embedded mode, DESIGN §2): deterministic answers from what the
messages carry, no download, and it says it is offline.

It answers from, in order: a tool's result (it reports it); knowledge-base passages (the best
one and its source, see ``providers.passages_message``); the bot's profile (``profile_message``:
title, what it does, the workflow it runs and that workflow's inputs, its tools), for the simple
intents people open a chat with (greeting, help / what can you do / who are you, what it needs
to start, thanks, goodbye); else it says what it received and how to get a useful answer.
The profile is a private key of a system message: never sent to a real endpoint.
"""

from __future__ import annotations

import re
from collections.abc import Callable

OFFLINE = "[offline model]"

# intent -> the phrases (whole words, lower case) that show it; the first intent found wins
INTENTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("inputs", ("what do you need", "what information", "which information", "what inputs", "which inputs",
                "your inputs", "the inputs", "inputs", "parameters", "what should i give", "what should i provide",
                "what do i need", "what must i", "required", "o que precisa", "que necesitas")),
    ("help", ("help", "what can you do", "what do you do", "who are you", "what are you", "how does this work",
              "how do you work", "capabilities", "ajuda", "ayuda")),
    ("thanks", ("thanks", "thank you", "thx", "obrigado", "obrigada", "gracias")),
    ("bye", ("bye", "goodbye", "see you", "tchau", "adios", "adiós")),
    ("greeting", ("hi", "hello", "hey", "good morning", "good afternoon", "good evening", "greetings", "howdy",
                  "ola", "olá", "oi", "bom dia", "boa tarde", "boa noite", "hola", "buenos dias", "buenos días")),
)


def profile_message(profile: dict | Callable[[], dict]) -> dict:
    """The system message carrying a bot's profile for the offline model: ``{"name", "title",
    "description", "workflow", "inputs": [{"name", "type", "description", "required",
    "default"}], "tools": [{"name", "description"}]}`` (every key optional), or a function that
    returns it, called only when the offline model answers (building a profile reads and parses
    dialogs: a turn routed to a real endpoint should not pay for it). Dropped
    before a request leaves for a real endpoint."""
    return {"role": "system", "content": "", "profile": profile}


def intent_of(text: str) -> str | None:
    """The intent of a short message (``INTENTS``), or None."""
    words = " " + re.sub(r"[^\w]+", " ", text.lower()).strip() + " "
    if len(words.split()) > 12:  # a long message is a question for the knowledge base, not small talk
        return None
    for intent, phrases in INTENTS:
        if any(f" {phrase} " in words for phrase in phrases):
            return intent
    return None


def _name(profile: dict) -> str:
    return profile.get("title") or profile.get("name") or "this bot"


def _inputs_text(profile: dict) -> str:
    inputs = profile.get("inputs") or []
    workflow = profile.get("workflow")
    if not inputs:
        return (f"The workflow {workflow!r} needs no input to start." if workflow
                else "I need nothing in particular: just tell me what you are looking for.")
    lines = []
    for item in inputs:
        detail = ", ".join(part for part in (
            item.get("type"), "required" if item.get("required") else "optional",
            f"default {item['default']}" if item.get("default") else "") if part)
        described = f": {item['description']}" if item.get("description") else ""
        lines.append(f"- {item['name']} ({detail}){described}")
    head = f"To start the workflow {workflow!r} I need:" if workflow else "I work with these values:"
    return head + "\n" + "\n".join(lines)


def _about(profile: dict) -> str:
    parts = [f"I am {_name(profile)}."]
    if profile.get("description"):
        parts.append(profile["description"].rstrip(".") + ".")
    if profile.get("workflow"):
        parts.append(f"I run the workflow {profile['workflow']!r}.")
    tools = profile.get("tools") or []
    if tools:
        parts.append("I can also: " + "; ".join(
            f"{t['name']}" + (f" ({t['description']})" if t.get("description") else "") for t in tools) + ".")
    return " ".join(parts)


def profile_answer(intent: str, profile: dict) -> str:
    """What the offline model says for ``intent`` as the bot ``profile`` describes."""
    if intent == "greeting":
        hint = ' Ask me "what do you need?" to see what I need to start.' if profile.get("inputs") \
            else ' Ask me "what can you do?" to know more.'
        return f"Hello! {_about(profile)}{hint}"
    if intent == "help":
        answer = _about(profile)
        return f"{answer}\n{_inputs_text(profile)}" if profile.get("workflow") or profile.get("inputs") else answer
    if intent == "inputs":
        return _inputs_text(profile)
    if intent == "thanks":
        return f"You are welcome. Anything else {_name(profile)} can do for you?"
    return "Goodbye!"


def offline_answer(messages: list[dict]) -> str:
    """The offline model's answer to ``messages`` (see the module docstring)."""
    last = next((m for m in reversed(messages) if m.get("role") in ("user", "tool")), None)
    text = str((last or {}).get("content") or "")
    if last is not None and last.get("role") == "tool":
        return f"{OFFLINE} The tool answered: {text}"
    profile = next((m["profile"] for m in messages if m.get("profile")), None)
    if callable(profile):
        profile = profile()
    intent = intent_of(text) if profile is not None else None
    if intent is not None:
        return f"{OFFLINE} {profile_answer(intent, profile)}"
    passages = next((m["passages"] for m in messages if m.get("passages")), None)
    if passages:
        return f"{passages[0]['text']}\n\nSource: [{passages[0]['source']}]"
    if profile is None:
        return f"{OFFLINE} I received: {text}"
    return (f"{OFFLINE} I received: {text}\nI am an offline model, so I answer only from what I know about "
            f'{_name(profile)}: ask "what can you do?" or "what do you need?".')
