' Checks: trap: HEAR answers are text, but comparisons of numeric text are numeric ("9" < "18")
HEAR idade
IF idade >= 18 THEN
  TALK "maior de idade"
ELSE
  TALK "menor de idade"
END IF
HEAR qtd
TALK "total: " + qtd * 2.5
