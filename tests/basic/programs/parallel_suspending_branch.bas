PARALLEL
  BRANCH left
    WAIT 3
    HEAR l
    TALK "left got " & l
  END BRANCH
  BRANCH right
    HEAR r AS INTEGER
    total = r * 2
  END BRANCH
END PARALLEL
TALK l & " " & total
