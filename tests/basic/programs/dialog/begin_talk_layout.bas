' Checks: BEGIN TALK keeps inner blank lines and relative indentation, drops surrounding blank lines; ${} expressions
items = ["pen", "ink"]
BEGIN TALK

  Summary (${UBOUND(items)} items):

    first: ${items[0]}
  total: ${2 * 5}

END TALK
