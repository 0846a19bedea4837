' Checks: SUM/AVG/MIN/MAX over one list or several values; NULLs skipped; numeric text counts; text MAX
nums = [4, 8, 15, 16, 23, 42]
TALK SUM(nums)
TALK AVG(nums)
TALK MIN(nums)
TALK MAX(nums)
TALK SUM(1, 2, 3)
TALK MAX(3, 9, 4)
TALK MIN(3, 9, 4)
TALK SUM([1, NULL, "2"])
TALK AVG([1, 2])
TALK SUM([])
TALK MAX("apple", "pear")
TALK MIN([]) IS NULL
