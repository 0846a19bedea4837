' Checks: trap: keywords in any case (Talk, tAlK, let, Return, For Each/Next, Select Case), TRUE/NULL in any case
let saudacao = "oi"
Talk saudacao
tAlK True
x = null
If x Is Null Then Talk "x is null"
Select Case saudacao
  Case "oi"
    Talk "case oi"
  Case Else
    Talk "other"
End Select
For i = 1 To 2
  Talk i
Next i
Return false
