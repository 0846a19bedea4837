' Checks: FORMAT number masks of BASIC.md: "#,##0", "#,##0.00", "R$ #,##0.00", "0%", "000"; FORMAT x AS mask
TALK FORMAT(1234567, "#,##0")
TALK FORMAT(1234.5, "#,##0.00")
TALK FORMAT(0.5, "#,##0.00")
TALK FORMAT(1234.567, "R$ #,##0.00")
TALK FORMAT(0.256, "0%")
TALK FORMAT(1, "0%")
TALK FORMAT(999.995, "#,##0.00")
TALK FORMAT(-42.5, "#,##0.00")
TALK FORMAT(7, "000")
x = FORMAT 1500 AS "#,##0"
TALK x
TALK FORMAT("2500.5", "#,##0.00")
