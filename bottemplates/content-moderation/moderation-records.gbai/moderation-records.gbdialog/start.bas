' BOT "moderation-records": keeps each author's offence count in this bot's memory and shares
' it live with moderation-classifier, which trusts repeat offenders less. A rejection adds one,
' a reinstatement after an appeal takes one back. Sets offences.
key = "offences:" + item.author
offences = VAL(GET BOT MEMORY(key))
IF decision = "rejected" THEN
  offences = offences + 1
ELSE IF decision = "reinstated" THEN
  offences = MAX(0, offences - 1)
END IF
SET BOT MEMORY key, offences
BOT SHARE MEMORY key WITH "moderation-classifier" LIVE
TALK "Item " + item.id + " " + decision + "; " + item.author + " has " + offences + " offence(s)."
