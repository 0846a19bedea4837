' BOT "campaign-audience": selects one segment of the contacts ("new customers", "loyal
' customers", "lapsed customers") and reserves its contacts for the campaign, so two running
' campaigns never message one person; "release the audience" frees them again. The contacts
' are the workflow's contacts input, else the bot memory "contacts" (set it in the admin or
' with PUT /api/bots/campaign-audience/memory/contacts), else a demo list.
FUNCTION known_contacts()
  list = contacts
  IF list IS NULL THEN
    list = GET BOT MEMORY("contacts")
  END IF
  IF list IS NULL THEN
    list = [#{email: "ana@example.com", orders: 0, days_since_order: 0},
            #{email: "bruno@example.com", orders: 7, days_since_order: 12},
            #{email: "carla@example.com", orders: 2, days_since_order: 200},
            #{email: "davi@example.com", orders: 0, days_since_order: 0},
            #{email: "elis@example.com", orders: 9, days_since_order: 30},
            #{email: "fabio@example.com", orders: 3, days_since_order: 400}]
  END IF
  RETURN list
END FUNCTION

FUNCTION in_segment(person, segment)
  IF segment = "new customers" THEN
    RETURN person.orders = 0
  ELSE IF segment = "loyal customers" THEN
    RETURN person.orders >= loyal_orders AND person.days_since_order < lapsed_days
  ELSE IF segment = "lapsed customers" THEN
    RETURN person.orders > 0 AND person.days_since_order >= lapsed_days
  END IF
  THROW "campaign-audience does not know the segment '" + segment + "'"
END FUNCTION

FUNCTION reserve(segment)
  picked = []
  FOR EACH person IN known_contacts()
    IF in_segment(person, segment) THEN
      holder = GET BOT MEMORY("reserved:" + person.email)
      IF holder IS NULL OR holder = campaign_id THEN
        SET BOT MEMORY "reserved:" + person.email, campaign_id
        picked.push(person.email)
      END IF
    END IF
  NEXT
  RETURN picked
END FUNCTION

FUNCTION release()
  count = 0
  FOR EACH person IN known_contacts()
    holder = GET BOT MEMORY("reserved:" + person.email)
    IF holder = campaign_id THEN
      SET BOT MEMORY "reserved:" + person.email, NULL
      count = count + 1
    END IF
  NEXT
  RETURN count
END FUNCTION

IF input = "new customers" THEN
  audience_new = reserve(input)
  TALK "New customers: " + UBOUND(audience_new) + " reserved."
ELSE IF input = "loyal customers" THEN
  audience_loyal = reserve(input)
  TALK "Loyal customers: " + UBOUND(audience_loyal) + " reserved."
ELSE IF input = "lapsed customers" THEN
  audience_lapsed = reserve(input)
  TALK "Lapsed customers: " + UBOUND(audience_lapsed) + " reserved."
ELSE IF input = "release the audience" THEN
  released = release()
  TALK "Released " + released + " contacts of campaign " + campaign_id + "."
ELSE
  THROW "campaign-audience does not know the action '" + input + "'"
END IF
