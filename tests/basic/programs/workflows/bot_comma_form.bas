' Checks: BOT "name", "action" (comma form) outside a STEP; the bot's variables merge into the script's variables
BOT "crm", "look up Ana"
TALK "tier: " + tier
