' Checks: text growing through ${} interpolation stops at the string size limit (here 1000)
s = "ab"
DO
  s = "${s}${s}"
LOOP
