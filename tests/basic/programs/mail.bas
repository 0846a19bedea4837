SEND MAIL "ana@example.com", "Hi", "Body text"
SEND EMAIL "bob@example.com", "Just body"
BEGIN MAIL "carl@example.com"
Subject: Your order
Dear Carl,
it shipped.
END MAIL
