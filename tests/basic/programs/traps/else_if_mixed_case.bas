' Checks: trap: ELSE IF as two words, mixed-case keywords (If/Then/Else If/End If), != and <> side by side
nota = 7
If nota >= 9 Then
    Talk "Excelente"
Else If nota >= 7 Then
    Talk "Bom"
Else
    Talk "Precisa melhorar"
End If
status = "ativo"
if status != "inativo" then
  talk "status ok"
end if
IF status <> "ativo" THEN
  TALK "nunca"
ElseIf status = "ativo" Then
  TALK "elseif junto"
END IF
