' BOT "moderation-records": one row per item in the table decisions (tables.bas), and each
' author's offence count in this bot's memory, shared live with moderation-classifier, which
' trusts repeat offenders less. A rejection adds one, a reinstatement after an appeal takes one
' back. Sets offences.
key = "offences:" + item.author
offences = VAL(GET BOT MEMORY(key))
IF decision = "rejected" THEN
  offences = offences + 1
ELSE IF decision = "reinstated" THEN
  offences = MAX(0, offences - 1)
END IF
IF decision = "reinstated" THEN
  SAVE "decisions", {"id": item.id, "decision": decision, "decided_by": decided_by}
ELSE
  SAVE "decisions", {"id": item.id, "batch": batch_id, "author": item.author, "decision": decision, "label": label,
    "confidence": confidence, "decided_by": decided_by}
END IF
SET BOT MEMORY key, offences
BOT SHARE MEMORY key WITH "moderation-classifier" LIVE
TALK "Item " + item.id + " " + decision + "; " + item.author + " has " + offences + " offence(s)."
