SET HEADER "Authorization", "Bearer x"
w = GET "https://api.example.com/weather"
TALK "temp " & w.temp
r = POST "https://api.example.com/orders", {"id": 1}
TALK r IS NULL
CLEAR HEADERS
