userName = "Ana"
TALK username
If USERNAME = "Ana" Then
  talk "same variable"
End If
let Total = 2
Total = total + 1
TALK TOTAL
