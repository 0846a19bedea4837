text = READ "notes.txt"
WRITE "notes.txt", text + "\nmore"
COPY "notes.txt", "archive/notes.txt"
MOVE "archive/notes.txt", "archive/2024/notes.txt"
files = LIST "archive"
FOR EACH f IN files
    PRINT f.name
NEXT f
DELETE FILE "archive/2024/notes.txt"
DOWNLOAD "https://files.example/report.pdf", "report.pdf"
SEND FILE "report.pdf", "Monthly report"
