' Checks: PARAM keeps an argument that was given (tool arguments arrive as text variables); DEFAULT fills only missing ones
PARAM city AS STRING DEFAULT "Lisbon"
PARAM days AS INTEGER DEFAULT 3
PARAM lang AS STRING DEFAULT "pt"
DESCRIPTION "Weather forecast"
TALK city + " " + days + " " + lang
RETURN days * 2
