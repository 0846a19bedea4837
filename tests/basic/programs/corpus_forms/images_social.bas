' SEE, SCAN BARCODE and POST TO a social network
description = SEE "https://example.com/cat.png"
TALK description
barcode = SCAN BARCODE "photo.jpg"
IF barcode THEN TALK "EAN " + barcode
POST TO INSTAGRAM "shop", "secret", "https://example.com/new.png", "New arrivals"
POST TO FACEBOOK "https://example.com/new.png", "Hello"
r = DELETE HTTP "https://api.example.com/temp/1"
launch = DATEVALUE("2026-03-10")
POST TO LINKEDIN AT DATEADD(launch, -3, "day") + " 10:00" "https://example.com/teaser.png", "Soon"
POST TO "instagram, twitter" AT launch "https://example.com/launch.png", "Live now!"
