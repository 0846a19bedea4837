' Checks: syntax error: END SELECT with no open SELECT CASE
TALK "a"
END SELECT
