"""Values as people type them into the console's forms and read them on its pages."""


def typed_value(text: str):
    """Typed text as a value: ``true``/``false``, a number, or the text itself (what a bot's
    ``param-NAME`` config row means too)."""
    text = text.strip()
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    try:
        number = float(text)
    except ValueError:
        return text
    return int(number) if number.is_integer() and "." not in text and "e" not in text.lower() else number
