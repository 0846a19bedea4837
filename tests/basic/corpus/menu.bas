TALK "What would you like to do?"
HEAR option AS "Track an order", "Buy parts", "Cancel", "Speak to someone"

SELECT CASE option
    CASE "Track an order"
        CALL track
    CASE "Buy parts", "Parts"
        TALK "Our catalogue: https://acme.example/parts"
    CASE "Cancel"
        TALK "Okay, nothing to do."
        EXIT
    CASE ELSE
        TALK "A person will contact you soon."
        SEND MAIL "support@acme.example", "Customer needs help", "Conversation with " + username
END SELECT
