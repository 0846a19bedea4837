BEGIN TALK
    Hello ${name},
    your order #${orderId} is on its way.
    It's "great" news! ' not a comment
END TALK

BEGIN MAIL "ana@example.com"
Subject: Your order ${orderId}
Dear ${name}, it shipped today.
END MAIL

BEGIN SYSTEM PROMPT
Answer using only the documents. Use the JSON shape:
{ "answer": "...", "sources": [] }
END SYSTEM PROMPT
