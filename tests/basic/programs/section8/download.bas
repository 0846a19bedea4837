' DOWNLOAD url [, path] saves the reply into the bot's storage and gives the path
p = DOWNLOAD "https://files.example/reports/sales.json?v=2"
TALK "saved " + p
report = READ p
TALK report.total
DOWNLOAD "https://files.example/logo", "img/logo.txt"
files = DIR "img"
TALK files[0]
