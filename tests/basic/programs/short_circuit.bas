FUNCTION Noisy(v)
  TALK "noisy " & v
  RETURN v
END FUNCTION
x = FALSE AND Noisy(1)
TALK x
y = TRUE OR Noisy(2)
TALK y
z = Noisy(0) OR Noisy(3)
TALK z
w = 1 > 0 ? Noisy("yes") : Noisy("no")
TALK w
