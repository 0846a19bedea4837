' Checks: LIKE with % (any run) and _ (one character), case-insensitive, matching the whole text
TALK "report.pdf" LIKE "%.pdf"
TALK "report.pdf" LIKE "%.PDF"
TALK "report.pdf" LIKE "report"
TALK "cat" LIKE "c_t"
TALK "cart" LIKE "c_t"
TALK "ana@corp.example" LIKE "%@%.%"
file = "notes.txt"
IF file LIKE "%.txt" OR file LIKE "%.md" THEN TALK "text file"
