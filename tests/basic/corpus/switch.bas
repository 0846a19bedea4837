lang = LCASE(GET BOT MEMORY("lang") ?? "pt")
SWITCH lang
    CASE "pt"
        TALK "Olá!"
    CASE "es", "es-ar"
        TALK "¡Hola!"
    DEFAULT
        TALK "Hello!"
END SWITCH

Select Case weekday(NOW())
  Case 1, 7
    open = False
  Case Else
    open = True
End Select
TALK open ? "We are open." : "We are closed today."
