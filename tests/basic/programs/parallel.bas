ORCHESTRATE WORKFLOW "restock"
STEP 3: PARALLEL
  BRANCH A
    a_result = "paid"
    shared = "from A"
    TALK "A working"
  END BRANCH
  BRANCH B
    b_result = "stocked"
    shared = "from B"
  END BRANCH
END PARALLEL
TALK a_result & ", " & b_result & ", " & shared
PARALLEL
  BRANCH A: x = 1
  BRANCH B: y = 2
END PARALLEL
TALK x + y
