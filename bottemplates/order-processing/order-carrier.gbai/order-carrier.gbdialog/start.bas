' BOT "order-carrier": "book shipment" books the parcel with the carrier and gives it a
' tracking number; "track shipment" publishes the carrier's tracking updates as events.
' Every booking call is counted in bot memory (carrier_calls:<order_id>). carrier_failures
' makes the carrier refuse the first N calls of each order: set it to see STEP RETRY work
' (0 in production, where a real carrier's refusals come from its API).
FUNCTION booking_call(order)
  calls = NVL(GET BOT MEMORY("carrier_calls:" + order), 0) + 1
  SET BOT MEMORY "carrier_calls:" + order, calls
  RETURN calls
END FUNCTION

IF input = "book shipment" THEN
  carrier_call = booking_call(order_id)
  IF carrier_call <= carrier_failures THEN
    THROW carrier_name + " is unavailable (call " + carrier_call + " for order " + order_id + ")"
  END IF
  carrier = carrier_name
  tracking_number = "TRK-" + order_id
  SET BOT MEMORY "shipment:" + order_id, #{carrier: carrier, tracking: tracking_number, status: "booked"}
  TALK "Booked " + carrier + " for order " + order_id + ": " + tracking_number + "."
ELSE IF input = "track shipment" THEN
  tracking_status = "in_transit"
  SET BOT MEMORY "shipment:" + order_id, #{carrier: carrier, tracking: tracking_number, status: tracking_status}
  PUBLISH EVENT "tracking_update" WITH {"order_id": order_id, "tracking": tracking_number, "status": tracking_status}
  TALK "Order " + order_id + " is " + tracking_status + " (" + tracking_number + ")."
ELSE
  THROW "order-carrier does not know the action '" + input + "'"
END IF
