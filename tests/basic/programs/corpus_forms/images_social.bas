' SEE, SCAN BARCODE and POST TO a social network
description = SEE "https://example.com/cat.png"
TALK description
barcode = SCAN BARCODE "photo.jpg"
IF barcode THEN TALK "EAN " + barcode
POST TO INSTAGRAM "shop", "secret", "https://example.com/new.png", "New arrivals"
POST TO FACEBOOK "https://example.com/new.png", "Hello"
r = DELETE HTTP "https://api.example.com/temp/1"
