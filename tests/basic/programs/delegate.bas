reply = DELEGATE "Customer is angry" TO BOT "support"
TALK reply
