' Checks: more number masks: Brazilian "#.##0,00", optional decimals "#,##0.##", minus before prefix, "0.0", zero
TALK FORMAT(1234.5, "#.##0,00")
TALK FORMAT(1234.5, "R$ #.##0,00")
TALK FORMAT(2.5, "#,##0.##")
TALK FORMAT(3, "#,##0.##")
TALK FORMAT(-5, "R$ #,##0.00")
TALK FORMAT(3.14159, "0.0")
TALK FORMAT(0, "#,##0.00")
TALK FORMAT(1000000, "#,##0")
