' Checks: FORMAT with a number mask on non-numeric text fails
TALK FORMAT("12.5", "0.00")
TALK FORMAT("abc", "#,##0")
