PARAM item AS STRING DESCRIPTION "What to buy"
PARAM price AS MONEY DESCRIPTION "Price in dollars"
DESCRIPTION "Purchase requests above 1000 need a manager."

ORCHESTRATE WORKFLOW "purchase-" + item
IF price > 1000 THEN
    STEP 1: HUMAN APPROVAL FROM "manager@corp.example"
        TIMEOUT 3600
        ON TIMEOUT: REJECT ORDER
ELSE
    STEP 1: BOT "purchasing" "auto-approve " + item
END IF
STEP 2: DELEGATE "Place the order for " + item TO BOT "purchasing" TIMEOUT 600
answer = DELEGATE "Confirm delivery date" TO BOT "logistics"
TALK "Delivery: " + answer
